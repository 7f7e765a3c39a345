"""Keyed commitments: what the public ledger carries in place of a value that must stay private
(a comment, a decision's text, the state of a citizen's application, who acted).

A plain SHA-256 of low-entropy text is no secret: a dictionary finds "符合条件" or a national ID
number in seconds. A commitment here is HMAC-SHA256 under a 32-byte key kept in a file under
settings.PLATFORM_KEY_DIR/ledger (outside the database, like the platform's other keys), over a
purpose label and the value, so the same value committed for two purposes (an application's own
entry and its approval's entry) gives two unrelated strings, and nobody without the key can test
guesses. Whoever holds the key (an auditor) recomputes the commitment from the record in the
database and so checks the record was not changed after the entry was logged.

`ledger_commit(purpose=..., value=...)` → b64u(HMAC-SHA256(key, purpose ‖ 0x00 ‖ JCS(value))).
"""

import hashlib
import hmac
import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from ledger.encoding import b64u_encode, jcs

KEY_DIR_NAME, KEY_FILE_NAME = "ledger", "commitment.key"
_lock = threading.Lock()
_keys: dict[str, bytes] = {}


def commitment_key_path() -> Path:
    return Path(settings.PLATFORM_KEY_DIR) / KEY_DIR_NAME / KEY_FILE_NAME


def _key() -> bytes:
    path = commitment_key_path()
    with _lock:
        cached = _keys.get(str(path))
        if cached is not None:
            return cached
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Published with link(2), which never replaces a file: processes racing share one key.
            tmp = path.parent / f".{KEY_FILE_NAME}.{os.getpid()}.{threading.get_ident()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        key = path.read_bytes()
        if len(key) != 32:
            raise RuntimeError(f"{path} is not a 32-byte key")
        _keys[str(path)] = key
        return key


def ledger_commit(*, purpose: str, value: Any) -> str:
    """The keyed commitment to `value` (any JSON value) for `purpose` (e.g. "approvals/comment")."""
    message = purpose.encode("utf-8") + b"\x00" + jcs(value)
    return b64u_encode(hmac.new(_key(), message, hashlib.sha256).digest())

