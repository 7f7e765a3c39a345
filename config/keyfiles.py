"""Secret key files under PLATFORM_KEY_DIR (never in the database): one race-safe way to make and
read a 32-byte random key, for every app that keeps one (bidding's at-rest keys, the ledger's
commitment key)."""

import os
import threading
from pathlib import Path

KEY_SIZE = 32
_lock = threading.Lock()
_keys: dict[str, bytes] = {}


def secret_key(path: Path) -> bytes:
    """The 32-byte key in `path`, made on first use. Processes racing to make it share one key:
    it is published with link(2), which never replaces a file. Read once per process."""
    with _lock:
        cached = _keys.get(str(path))
        if cached is not None:
            return cached
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.parent / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_SIZE))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        key = path.read_bytes()
        if len(key) != KEY_SIZE:
            raise RuntimeError(f"{path} is not a {KEY_SIZE}-byte key")
        _keys[str(path)] = key
        return key
