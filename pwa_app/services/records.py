"""The record types kept in the vault, and the limits on what is kept."""

# Record types in the vault.
T_CASE, T_EVIDENCE, T_REQUEST, T_TIMELINE = "case", "evidence", "request", "timeline"
# Attachments: "file" records hold the raw bytes; "blob" records (base64 in JSON) were written
# by earlier versions and are still read.
T_FILE, T_OLD_BLOB = "file", "blob"
# The tamper-evident history: one record per entry, and the head (the last entry's number and
# hash), written in the same transaction as each entry.
T_HISTORY, T_HEAD = "history", "history-head"
T_SETTINGS, T_CHECKLIST, T_STEPS, T_PROFILE = "settings", "checklist", "steps", "profile"
# Shared into the app: the inbox's private key (one record), and shares waiting for an address.
T_INBOX_KEY, T_SHARED = "inbox-key", "shared"
# Text typed into forms and not yet saved (one record; never part of the evidence record).
T_DRAFTS = "drafts"
SINGLETON = {
    T_SETTINGS: "settings",
    T_CHECKLIST: "checklist",
    T_STEPS: "steps",
    T_PROFILE: "profile",
    T_HEAD: "history-head",
    T_INBOX_KEY: "inbox-key",  # (never kept under this name: newer than derived ids)
    T_DRAFTS: "drafts",  # (the same)
}

RECORD_TYPES = (
    T_CASE,
    T_EVIDENCE,
    T_REQUEST,
    T_TIMELINE,
    T_HISTORY,
    *SINGLETON,
    T_SHARED,
)
ALL_TYPES = (*RECORD_TYPES, T_FILE, T_OLD_BLOB)  # every type the app writes

MAX_ATTACHMENT = 15 * 1024 * 1024
MAX_BACKUP = 512 * 1024 * 1024
