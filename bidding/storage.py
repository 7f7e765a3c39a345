"""Where bid ciphertext chunks live: Django's storage API, by default a local directory that
writes durably. An acknowledged chunk must survive the server being killed or the machine losing
power the next moment (SEALED_BIDS.md "Submitting"), so after Django writes a file we fsync the
file and every directory from it up to the storage root (a new file's name is only durable once
its directory entry is): a plain FileSystemStorage leaves both in the page cache."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class DurableFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose `save` returns only once the bytes and the name are on disk."""

    def _save(self, name: str, content) -> str:
        name = super()._save(name, content)
        path = Path(self.path(name))
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        root = Path(self.location).resolve()
        directory = path.parent.resolve()
        while True:
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
            if directory == root or root not in directory.parents:
                break
            directory = directory.parent
        return name


def bid_storage() -> Storage:
    """The storage named "bids" in STORAGES, or a durable directory under VAR_DIR/bids (outside
    MEDIA_ROOT: nothing about a bid is ever served as a file)."""
    if "bids" in settings.STORAGES:
        return storages["bids"]
    return DurableFileSystemStorage(location=Path(settings.VAR_DIR) / "bids")
