"""The platform's Ed25519 key: where it lives, how it is made and rotated, and the one way the
platform signs and checks an object (`SB1_PLATFORM_LABEL ‖ 0x00 ‖ JCS(P)`, see SEALED_BIDS.md "Keys").

The private key is a PKCS#8 PEM file in settings.PLATFORM_KEY_DIR, encrypted with
settings.PLATFORM_KEY_PASSPHRASE when that is set. Outside production a missing key is made on
first use; in production (settings.PLATFORM_KEY_AUTOGENERATE = False) signing refuses instead.
Every public key that ever signed is kept in the database (`PlatformKey`) and published at
/ledger/keys.json and /api/ledger/keys/."""

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from config import clock
from ledger.encoding import EncodingError, b64u_decode, b64u_encode, format_time, jcs

SB1_PLATFORM_LABEL = b"SB1/platform"
KEY_FILE_NAME = "platform-ed25519.pem"

_lock = threading.Lock()
_cache: dict[str, Any] = {}  # {"stat": (mtime_ns, size, ino), "key": Ed25519PrivateKey, "registered": key_id}


def key_path() -> Path:
    return Path(settings.PLATFORM_KEY_DIR) / KEY_FILE_NAME


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """b64u(SHA-256(raw 32-byte public key))."""
    return b64u_encode(hashlib.sha256(raw_public_bytes(public_key)).digest())


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _autogenerate_allowed() -> bool:
    if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith("production"):
        return False
    return bool(getattr(settings, "PLATFORM_KEY_AUTOGENERATE", True))


def _passphrase() -> bytes | None:
    value = settings.PLATFORM_KEY_PASSPHRASE
    return value.encode("utf-8") if value else None


def _pem_of(private_key: Ed25519PrivateKey) -> bytes:
    passphrase = _passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _write_private(path: Path, pem: bytes) -> Path:
    """Write `pem` to a new 0600 file beside `path` and return its name (fsynced, not yet linked)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    return Path(tmp)


def _create_if_absent(path: Path) -> None:
    """Make a key unless one exists; two processes racing end up sharing one key, because the
    file is published with link(2), which refuses to replace an existing name."""
    tmp = _write_private(path, _pem_of(Ed25519PrivateKey.generate()))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _load(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"The platform key {path} cannot be read with the configured YIZHAN_KEY_PASSPHRASE: {exc}"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The platform key {path} is not an Ed25519 key.")
    return key


def platform_private_key() -> Ed25519PrivateKey:
    """The current signing key, made on first use outside production (see the module docstring)."""
    path = key_path()
    with _lock:
        if not path.exists():
            if not _autogenerate_allowed():
                raise ImproperlyConfigured(
                    f"No platform key at {path}. Production never makes one by itself: create it with "
                    "`python manage.py platform_key_rotate` (with YIZHAN_KEY_PASSPHRASE set)."
                )
            _create_if_absent(path)
        stat = path.stat()
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if _cache.get("stat") != signature:  # first use, or another process rotated the key
            _cache.update(stat=signature, key=_load(path), registered=None)
        return _cache["key"]


def current_key_id() -> str:
    return key_id_of(platform_private_key().public_key())


def _register(private_key: Ed25519PrivateKey, *, always: bool = False) -> None:
    """Record the public key in the same transaction as its first signature (idempotent and
    race-free: INSERT ... ON CONFLICT DO NOTHING). Remembered only once committed, so a rolled-back
    first signature does not leave the key unpublished."""
    from ledger.models import PlatformKey

    key_id = key_id_of(private_key.public_key())
    if _cache.get("registered") == key_id and not always:
        return
    PlatformKey.objects.bulk_create(
        [
            PlatformKey(
                key_id=key_id, public_key=raw_public_bytes(private_key.public_key()), created=clock.now()
            )
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: _cache.update(registered=key_id))


def _signed_message(payload: dict[str, Any]) -> bytes:
    return SB1_PLATFORM_LABEL + b"\x00" + jcs(payload)


def platform_sign(payload: dict[str, Any]) -> dict[str, Any]:
    """Sign a typed object `P` (it must have a string "type"): returns
    {"payload": P, "key_id": b64u, "signature": b64u(Ed25519 over "SB1/platform" ‖ 0x00 ‖ JCS(P))}."""
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise ValueError("a platform-signed object needs a string 'type'")
    private_key = platform_private_key()
    _register(private_key)
    return {
        "payload": payload,
        "key_id": key_id_of(private_key.public_key()),
        "signature": b64u_encode(private_key.sign(_signed_message(payload))),
    }


def public_key_for(key_id: str) -> Ed25519PublicKey | None:
    """A platform public key by id: the current one, or any kept in the database."""
    from ledger.models import PlatformKey

    private_key = platform_private_key() if key_path().exists() else None
    if private_key is not None and key_id_of(private_key.public_key()) == key_id:
        return private_key.public_key()
    row = PlatformKey.objects.filter(key_id=key_id).first()
    return Ed25519PublicKey.from_public_bytes(bytes(row.public_key)) if row else None


def platform_verify(envelope: Any) -> bool:
    """True when `envelope` is exactly {"payload","key_id","signature"} with a typed payload and a
    valid signature by a platform key (current or retired)."""
    if not isinstance(envelope, dict) or set(envelope) != {"payload", "key_id", "signature"}:
        return False
    payload, key_id, signature = envelope["payload"], envelope["key_id"], envelope["signature"]
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("type"), str)
        or not isinstance(key_id, str)
    ):
        return False
    try:
        signature_bytes = b64u_decode(signature)
        message = _signed_message(payload)
    except (EncodingError, TypeError, ValueError):
        return False
    public_key = public_key_for(key_id)
    if public_key is None or len(signature_bytes) != 64:
        return False
    try:
        public_key.verify(signature_bytes, message)
    except InvalidSignature:
        return False
    return True


def platform_public_keys() -> list[dict[str, Any]]:
    """Every platform public key, oldest first, as published at /ledger/keys.json."""
    from ledger.models import PlatformKey

    if key_path().exists() or _autogenerate_allowed():
        _register(platform_private_key(), always=True)
    return [
        {
            "key_id": row.key_id,
            "algorithm": "Ed25519",
            "public_key": b64u_encode(bytes(row.public_key)),
            "created": format_time(row.created),
            "retired": format_time(row.retired) if row.retired else None,
        }
        for row in PlatformKey.objects.order_by("created", "key_id")
    ]


def platform_key_rotate() -> str:
    """Make a new current key; the old private key file is kept beside it as
    `platform-ed25519.<key_id>.retired.pem` and its public key stays published, marked retired.
    Returns the new key id. Also the way to make the first key in production."""
    from ledger.models import PlatformKey

    path = key_path()
    new_key = Ed25519PrivateKey.generate()
    with _lock:
        if path.exists():
            old_key = _load(path)
            _register(old_key)
            old_id = key_id_of(old_key.public_key())
            os.link(path, path.with_name(f"platform-ed25519.{old_id}.retired.pem"))
            PlatformKey.objects.filter(key_id=old_id, retired__isnull=True).update(retired=clock.now())
        tmp = _write_private(path, _pem_of(new_key))
        os.replace(tmp, path)
        _cache.clear()
    _register(platform_private_key())
    return key_id_of(new_key.public_key())
