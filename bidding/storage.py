"""Where bid ciphertext chunks live: Django's storage API, by default a local directory that
writes durably. An acknowledged chunk must survive the server being killed or the machine losing
power the next moment (SEALED_BIDS.md "Submitting"), so after Django writes a file we fsync the
file, its directory (a new file's name is only durable once its directory entry is) and the parent
of every directory the save created: a plain FileSystemStorage leaves all of them in the page cache."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class DurableFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose `save` returns only once the bytes and the name are on disk."""

    def _save(self, name: str, content) -> str:
        root = Path(self.location).resolve()
        # The directories this save will create: each new one's entry lives in its parent, which must
        # then be fsynced too; directories that already existed were made durable when they were made.
        missing, directory = [], Path(self.path(name)).parent.resolve()
        while directory != root and root in directory.parents and not directory.exists():
            missing.append(directory)
            directory = directory.parent
        if not root.exists():
            missing.append(root)
        target = Path(self.path(name))
        ours = not target.exists()  # never remove a file another writer made under this name
        try:
            name = super()._save(name, content)
            path = Path(self.path(name))
            _fsync(path)
            _fsync(path.parent)
            for created in missing:
                _fsync(created.parent)
        except OSError:
            # A full disk (ENOSPC) or an I/O error mid-write or at fsync: leave nothing half-written
            # behind; the caller refuses the chunk and the client sends it again.
            if ours:
                target.unlink(missing_ok=True)
            raise
        return name

    def directory_prepare(self, name: str) -> None:
        """Make directory `name` and every missing ancestor durably, before any chunk goes in it (an
        upload's directories are made when it is opened, so a chunk's save then only needs its file
        and that file's directory fsynced, and concurrent first chunks never race to make them)."""
        root = Path(self.location).resolve()
        target = Path(self.path(name)).resolve()
        chain = [target, *[d for d in target.parents if d == root or root in d.parents]]
        target.mkdir(parents=True, exist_ok=True)
        for directory in chain:
            _fsync(directory)
        _fsync(root.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def bid_storage() -> Storage:
    """The storage named "bids" in STORAGES, or a durable directory under VAR_DIR/bids (outside
    MEDIA_ROOT: nothing about a bid is ever served as a file)."""
    if "bids" in settings.STORAGES:
        return storages["bids"]
    return DurableFileSystemStorage(location=Path(settings.VAR_DIR) / "bids")
