"""A full disk during a chunk upload: the chunk is refused (507 with a message), nothing half-written
is left or acknowledged, and once space is back the same chunk is taken (the upload resumes).
The full disk is simulated where the bytes meet the disk: the file write, or its fsync, raises
ENOSPC (OSError), as the kernel does."""

import datetime as dt
import errno
import os

import pytest
import time_machine
from rest_framework.test import APIClient

from bidding import storage as bid_storage_module
from bidding.models import BidChunk
from bidding.storage import bid_storage
from tests.bidding.submission_factory import ISSUE, bidder_make, published_tender, seal, sha

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(demo):
    with time_machine.travel(ISSUE, tick=False) as traveller:
        tender, _opening = published_tender(demo)
        traveller.move_to(ISSUE + dt.timedelta(days=10))
        bidder = bidder_make()
        sealed = seal(tender, bidder, attachments={"a.bin": ("application/octet-stream", b"\x01" * 300_000)})
        client = APIClient()
        client.force_authenticate(bidder.user)
        response = client.post(
            "/api/bidding/uploads/",
            {"tender": tender.reference, "lot": "1", "bid": sealed.bid, "file_sizes": sealed.file_sizes},
            format="json",
        )
        assert response.status_code == 201, response.json()
        yield client, sealed


def _stored_files() -> list[str]:
    root = bid_storage().location
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


class HalfThenFull:
    """A file object that takes half of what it is given, then reports the disk full."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self):
        self.real.close()


def _put(client, sealed, f=1, i=0):
    data = sealed.chunks[f][i]
    return client.put(
        f"/api/bidding/uploads/{sealed.bid}/files/{f}/chunks/{i}/",
        data=data,
        content_type="application/octet-stream",
        HTTP_X_CHUNK_SHA256=sha(data),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_disk_full_mid_write_refuses_the_chunk_and_leaves_nothing(opened, monkeypatch):
    client, sealed = opened
    before = set(_stored_files())
    real_fdopen = os.fdopen
    bids_root = str(bid_storage().location)

    def fdopen(fd, *args, **kwargs):
        opened_file = real_fdopen(fd, *args, **kwargs)
        if os.readlink(f"/proc/self/fd/{fd}").startswith(bids_root):
            return HalfThenFull(opened_file)
        return opened_file

    with time_machine.travel(ISSUE + dt.timedelta(days=10), tick=False):
        monkeypatch.setattr(os, "fdopen", fdopen)
        refused = _put(client, sealed)
        monkeypatch.undo()
        assert refused.status_code == 507
        assert refused.json()["code"] == "chunk_not_stored" and "again" in refused.json()["message"]
        assert set(_stored_files()) == before  # the half-written file is gone
        assert not BidChunk.objects.exists()
        assert client.get(f"/api/bidding/uploads/{sealed.bid}/").json()["present"] == []

        accepted = _put(client, sealed)  # space is back: the same chunk is taken
        assert accepted.status_code == 201
        assert BidChunk.objects.count() == 1


def test_disk_full_at_fsync_refuses_the_chunk_and_leaves_nothing(opened, monkeypatch):
    client, sealed = opened
    before = set(_stored_files())

    def fsync_full(path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with time_machine.travel(ISSUE + dt.timedelta(days=10), tick=False):
        monkeypatch.setattr(bid_storage_module, "_fsync", fsync_full)
        refused = _put(client, sealed)
        monkeypatch.undo()
        assert refused.status_code == 507
        assert set(_stored_files()) == before
        assert not BidChunk.objects.exists()
        assert _put(client, sealed).status_code == 201
