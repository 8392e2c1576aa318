"""The record index: the set of records, authenticated as a whole.

Each record is sealed on its own, so someone holding the vault file but not the key could delete a
row, or put back an older copy of one (roll it back), and every record left would still open. The
index closes that gap, as KeePassXC's KDBX 4 does with its HMAC block stream: sealed records, under
the same data key, listing every record's id, its type and the nonce of the blob last written (96
random bits, different at every save, so it names that one version). It is written in the same
transaction as every save, on condition that its root still holds what was read just before (two
windows never lose each other's entries), and compared with what storage holds at unlock and by
"Check the record": a record missing, or holding another version than the one written last, is
named.

So that a save costs the same in a vault of ten records or ten thousand, the list is kept in
``BUCKETS`` records (a record's bucket: a hash of its id), and a root record holds the nonce of each
bucket's blob: a save rewrites the buckets of what it writes, and the root. A bucket put back to an
earlier version no longer matches the root.

What it cannot see: the whole vault, index included, put back as it was at some earlier time (as a
restored backup is). Nothing kept on the device alone can tell that apart from the real thing.

Plaintext: compact JSON. A bucket: ``{"v": 2, "r": {record id: [nonce (base64), record type]}}``;
the root: ``{"v": 2, "b": [nonce of bucket 0's blob (base64), ..., of bucket 63's]}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field

from .storage import Row, Versions, nonce_of

INDEX_TYPE = "index"  # its records' type (bound into their AEAD like every record's)
INDEX_FORMAT = 2
BUCKETS = 64


def bucket_of(record_id: str) -> int:
    return hashlib.blake2s(record_id.encode(), digest_size=2).digest()[0] % BUCKETS


def bucket_name(bucket: int) -> str:
    """The name its id is derived from (the root's: ``INDEX_TYPE``)."""
    return f"{INDEX_TYPE} {bucket:02d}"


@dataclass
class IndexRoot:
    buckets: list[str]  # the nonce (base64) of each bucket's sealed blob

    def encode(self) -> bytes:
        return json.dumps({"v": INDEX_FORMAT, "b": self.buckets}, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> IndexRoot | None:
        try:
            doc = json.loads(raw)
            b = doc["b"]
        except (ValueError, KeyError, TypeError):
            return None
        ok = doc.get("v") == INDEX_FORMAT and isinstance(b, list) and len(b) == BUCKETS
        return cls([str(x) for x in b]) if ok else None


@dataclass
class RecordIndex:
    records: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (nonce b64, type)

    def encode(self) -> bytes:
        doc = {"v": INDEX_FORMAT, "r": {k: list(v) for k, v in sorted(self.records.items())}}
        return json.dumps(doc, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> RecordIndex | None:
        """The index, or None when it is not one (damaged: the caller says so)."""
        try:
            doc = json.loads(raw)
            out = cls(
                {
                    str(k): (str(v[0]), str(v[1]))
                    for k, v in doc["r"].items()
                    if isinstance(v, list) and len(v) == 2
                }
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return out if doc.get("v") == INDEX_FORMAT else None

    def split(self) -> list[RecordIndex]:
        """The same records, bucket by bucket."""
        out = [RecordIndex() for _ in range(BUCKETS)]
        for rid, v in self.records.items():
            out[bucket_of(rid)].records[rid] = v
        return out

    def wrote(self, rows: list[Row], types: dict[str, str], deletes: tuple[str, ...]) -> None:
        """The rows just sealed (``types``: tag → record type) and the deletions."""
        for rid, tag, blob in rows:
            self.records[rid] = (base64.b64encode(nonce_of(blob)).decode(), types.get(tag, tag))
        for rid in deletes:
            self.records.pop(rid, None)


@dataclass(frozen=True)
class Difference:
    """One record that is not as the app last wrote it."""

    record_id: str
    record_type: str  # as the index names it (or the storage's tag for a record it never wrote)
    how: str  # "removed" | "changed" (another version: rolled back or replaced) | "added"


def compare(index: RecordIndex, stored: Versions, types: dict[str, str]) -> list[Difference]:
    """What storage holds that the index does not say, record by record. A version that was not
    read (``None``: a file, checked for presence at unlock and fully by the record check) only
    counts for being there."""
    out: list[Difference] = []
    for rid, (nonce, rtype) in index.records.items():
        now = stored.get(rid)
        if now is None:
            out.append(Difference(rid, rtype, "removed"))
        elif now[1] is not None and base64.b64encode(now[1]).decode() != nonce:
            out.append(Difference(rid, rtype, "changed"))
    for rid, (tag, _nonce) in stored.items():
        if rid not in index.records:
            out.append(Difference(rid, types.get(tag, tag), "added"))
    return out
