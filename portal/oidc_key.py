"""The OpenID Connect provider's RSA signing key (id_tokens are RS256): a PEM file under the platform
key directory, made on first start when absent, encrypted with the platform passphrase when one is
set. Imported by the settings, so it uses nothing from Django."""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_FILE = "oidc-rsa.key.pem"


def oidc_signing_key_pem(key_dir: Path, passphrase: str = "") -> str:
    """The unencrypted PEM django-oauth-toolkit signs with (kept in memory only)."""
    path = Path(key_dir) / "oidc" / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it at the same moment: use theirs
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(
                    key.private_bytes(
                        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
                    )
                )
    key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase.encode() or None)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
