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
from pathlib import Path
from typing import Any

from django.conf import settings

from config.keyfiles import secret_key
from ledger.encoding import b64u_encode, jcs

KEY_DIR_NAME, KEY_FILE_NAME = "ledger", "commitment.key"


def commitment_key_path() -> Path:
    return Path(settings.PLATFORM_KEY_DIR) / KEY_DIR_NAME / KEY_FILE_NAME


def _key() -> bytes:
    return secret_key(commitment_key_path())


def ledger_commit(*, purpose: str, value: Any) -> str:
    """The keyed commitment to `value` (any JSON value) for `purpose` (e.g. "approvals/comment")."""
    message = purpose.encode("utf-8") + b"\x00" + jcs(value)
    return b64u_encode(hmac.new(_key(), message, hashlib.sha256).digest())
