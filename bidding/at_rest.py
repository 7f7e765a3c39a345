"""Server keys for what the opening keeps at rest, held in files under PLATFORM_KEY_DIR/opening (never
in the database): the share key seals custodians' points (accepted ones, and refused submissions
whole) until the window closes (so a database reader cannot unwrap a share early, SEALED_BIDS.md
Opening 2), the contents key seals opened bids' forms, attachments and content keys (Opening 6).
AES-256-GCM, a random 12-byte nonce before the ciphertext, and associated data naming what the value
is, so a sealed value cannot be moved."""

import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from config.keyfiles import secret_key

SHARE_KEY, CONTENTS_KEY = "share-points.key", "contents.key"


def _key(name: str) -> bytes:
    return secret_key(Path(settings.PLATFORM_KEY_DIR) / "opening" / name)


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
