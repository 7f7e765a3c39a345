"""Server keys for what the opening keeps at rest, held in files under PLATFORM_KEY_DIR/opening (never
in the database): the share key seals custodians' points (accepted ones, and refused submissions
whole) until the window closes (so a database reader cannot unwrap a share early, SEALED_BIDS.md
Opening 2), the contents key seals opened bids' forms, attachments and content keys (Opening 6).
AES-256-GCM, a random 12-byte nonce before the ciphertext, and associated data naming what the value
is, so a sealed value cannot be moved."""

import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SHARE_KEY, CONTENTS_KEY = "share-points.key", "contents.key"
_lock = threading.Lock()
_keys: dict[tuple[str, str], bytes] = {}


def _key(name: str) -> bytes:
    directory = Path(settings.PLATFORM_KEY_DIR) / "opening"
    path = directory / name
    with _lock:
        cached = _keys.get((str(directory), name))
        if cached is not None:
            return cached
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Published with link(2), which never replaces a file: processes racing share one key.
            tmp = directory / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
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
        _keys[(str(directory), name)] = key
        return key


def _seal(name: str, plaintext: bytes, label: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_key(name)).encrypt(nonce, plaintext, label.encode())


def _unseal(name: str, sealed: bytes, label: str) -> bytes:
    sealed = bytes(sealed)
    return AESGCM(_key(name)).decrypt(sealed[:12], sealed[12:], label.encode())


def point_seal(point: bytes, *, room_id: int, index: int, handle: str) -> bytes:
    return _seal(SHARE_KEY, point, f"point/{room_id}/{index}/{handle}")


def point_unseal(sealed: bytes, *, room_id: int, index: int, handle: str) -> bytes:
    return _unseal(SHARE_KEY, sealed, f"point/{room_id}/{index}/{handle}")


def refused_seal(envelope: bytes, *, room_id: int, index: int, handle: str) -> bytes:
    """A refused share submission as received: its point may be a good one (only the proof was bad),
    so it is kept sealed like an accepted point until the window closes and it becomes evidence."""
    return _seal(SHARE_KEY, envelope, f"refused/{room_id}/{index}/{handle}")


def refused_unseal(sealed: bytes, *, room_id: int, index: int, handle: str) -> bytes:
    return _unseal(SHARE_KEY, sealed, f"refused/{room_id}/{index}/{handle}")


def contents_seal(plaintext: bytes, *, label: str) -> bytes:
    return _seal(CONTENTS_KEY, plaintext, f"contents/{label}")


def contents_unseal(sealed: bytes, *, label: str) -> bytes:
    return _unseal(CONTENTS_KEY, sealed, f"contents/{label}")
