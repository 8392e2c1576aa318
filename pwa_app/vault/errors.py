"""One exception family for everything the vault can refuse.

Messages are written for the person using the app and never contain plaintext, keys or passphrases.
"""

from __future__ import annotations

from ..i18n import N_, _


class VaultError(Exception):
    """Base class: anything the vault refuses to do."""

    user_message = N_("Something went wrong with your private vault.")

    def __init__(self, message: str | None = None):
        super().__init__(message or _(self.user_message))


class WrongPassphrase(VaultError):
    user_message = N_(
        "That passphrase did not open the vault. Check for typing mistakes (and Caps Lock) and "
        "try again."
    )


class VaultLocked(VaultError):
    user_message = N_("The vault is locked. Unlock it with your passphrase first.")


class KeyChanged(VaultError):
    user_message = N_(
        "The passphrase was changed in another window of this app, so this window can no longer "
        "save. Nothing was lost: lock this window and unlock it with the new passphrase."
    )


class VaultExists(VaultError):
    user_message = N_("A vault already exists on this device.")


class NoVault(VaultError):
    user_message = N_("There is no vault on this device yet.")


class CorruptVault(VaultError):
    """The vault header or a backup file is truncated or malformed."""

    user_message = N_(
        "This vault or backup file is damaged or incomplete, so it cannot be opened. "
        "Nothing was changed."
    )


class TamperedRecord(VaultError):
    """One record failed authentication. Every other record still opens."""

    def __init__(self, record_id: str):
        self.record_id = record_id
        super().__init__(
            _(
                "One saved item (id {id}…) is damaged and cannot be opened. "
                "Your other items are safe."
            ).format(id=record_id[:8])
        )


class UnsupportedVersion(VaultError):
    def __init__(self, version: object):
        self.version = version
        super().__init__(
            _(
                "This vault was made by a newer version of Recourse (format {version!s:.10}). "
                "Update the app to open it."
            ).format(version=version)
        )


class StorageFull(VaultError):
    user_message = N_(
        "Your device's storage for this app is full, so this item was not saved. "
        "Nothing saved before is lost. Free some space on the device, or remove large "
        "attachments, then try again. An encrypted backup from Settings keeps a copy of "
        "everything elsewhere."
    )


class StorageLost(VaultError):
    """The browser deleted this app's saved data while it was open. Chromium does this when
    the device runs completely out of space and its IndexedDB files break (it then resets
    them), or when the site's data is cleared."""

    user_message = N_(
        "This browser has deleted what this app had saved on this device. Browsers do this "
        "when the device runs completely out of space, or when site data is cleared. It is "
        "not something you did. Nothing more can be saved now. What is on screen is still "
        "readable: write down anything you need. Free some space, reload the page, and restore "
        "your encrypted backup from the first screen if you have one."
    )


class StorageSilent(VaultError):
    """The browser's storage gave no answer at all for a long while (a bug of the engine, a
    disk that stalls, another window holding the store): the step was given up and aborted,
    so nothing of it was written."""

    user_message = N_(
        "This browser's storage did not answer for over a minute, so this was stopped and "
        "nothing was changed. Please try again. If it happens again, close this app's other "
        "windows or tabs and reload the page: everything saved before is kept."
    )


class WriteConflict(VaultError):
    """A conditional write found a record changed since it was read (another window of the app
    saved in between): nothing was written. The caller reads again and retries."""

    user_message = N_(
        "This record was changed at the same moment in another window of the app, so this "
        "change was not saved. Nothing is lost. Please try again."
    )


class BackupRejected(VaultError):
    """A backup file that cannot be used. ``reason`` says why, in plain words."""

    user_message = N_(
        "This backup could not be imported: the passphrase is wrong or the file is damaged. "
        "Nothing was changed."
    )

    def __init__(self, reason: str | None = None):
        self.reason = reason or ""
        super().__init__(
            _("This backup could not be imported: {reason} Nothing was changed.").format(
                reason=reason
            )
            if reason
            else None
        )
