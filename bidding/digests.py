"""Running file digests: the SHA-256 over a file's ciphertext chunks in order (SB1 "a file's sha256"),
kept in this process while the chunks arrive, so a finalize does not read the whole bid back from
storage to check it (issue 21).

Python cannot save a SHA-256 state, so the running digest lives in the memory of the process that
stored the chunks. It is used only when that process saw every chunk of the file acknowledged, in
order 0, 1, 2, …, and the chunks' SHA-256s it hashed are exactly the ones stored with the chunk rows.
After a gap (a chunk out of order, a chunk stored by another process) or a restart, finalize falls
back to reading the chunks from storage (`bidding.services.submission._chunks_match`). Each chunk's
own SHA-256 is computed on arrival either way and stored with its row."""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

# Files in progress remembered per process (oldest forgotten first): 4,096 × ~200 bytes of state.
RUNNING_LIMIT = 4096

_lock = threading.Lock()
_running: "OrderedDict[tuple[int, int], _Running]" = OrderedDict()


@dataclass
class _Running:
    hasher: "hashlib._Hash"
    chunk_sha256s: list[str] = field(default_factory=list)


def running_digest_add(*, upload_id: int, file_index: int, index: int, data: bytes, sha256: str) -> None:
    """Chunk `index` of the file was just acknowledged with these bytes: extend the file's running
    digest if it is chunk 0 or the next one in order, otherwise drop it (the file will be re-read)."""
    key = (upload_id, file_index)
    with _lock:
        state = _running.pop(key, None)
        if index == 0:
            state = _Running(hasher=hashlib.sha256())
        elif state is None or len(state.chunk_sha256s) != index:
            return
        state.hasher.update(data)
        state.chunk_sha256s.append(sha256)
        _running[key] = state
        while len(_running) > RUNNING_LIMIT:
            _running.popitem(last=False)


def running_digest(*, upload_id: int, file_index: int, chunk_sha256s: list[str]) -> bytes | None:
    """The file's SHA-256 when this process hashed exactly these chunks in order, else None."""
    with _lock:
        state = _running.get((upload_id, file_index))
        if state is None or state.chunk_sha256s != chunk_sha256s:
            return None
        return state.hasher.copy().digest()


def running_digests_forget(*, upload_id: int) -> None:
    """The upload was finalized: its running digests are no longer needed."""
    with _lock:
        for key in [k for k in _running if k[0] == upload_id]:
            del _running[key]
