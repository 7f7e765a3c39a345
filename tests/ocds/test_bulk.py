"""The daily bulk files: gzip JSON Lines of every release and of every record, listed on the public
open-data page with their SHA-256 and size, downloadable byte for byte; building a day twice
changes nothing."""

import gzip
import hashlib
import json
from datetime import date

import pytest
import time_machine
from django.test import Client

from reports.models import OcdsBulkFile
from reports.ocds.services import ocds_bulk_build
from reports.ocds.tasks import ocds_bulk_build as ocds_bulk_build_task
from reports.ocds.validation import release_validate
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-09-01", "09:00")


@pytest.fixture
def two_tenders(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(ISSUE, tick=False):
        first = publish(demo, make_tender(demo, issue=ISSUE, deadline=at("2026-10-20", "09:30")))
    with time_machine.travel(at("2026-09-03", "09:00"), tick=False):
        second = publish(
            demo,
            make_tender(
                demo, issue=at("2026-09-03", "09:00"), deadline=at("2026-10-22", "09:30"), title="二"
            ),
        )
    return first, second


def lines(bulk: OcdsBulkFile) -> list[dict]:
    with bulk.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == bulk.sha256 and len(data) == bulk.size
    return [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines()]


def test_the_nightly_task_builds_yesterdays_files_once(two_tenders):
    first, second = two_tenders
    with time_machine.travel(at("2026-09-04", "01:00"), tick=False):
        ocds_bulk_build_task.delay()
    releases, records = (
        OcdsBulkFile.objects.get(day=date(2026, 9, 3), kind=kind) for kind in ("releases", "records")
    )
    ours = {f"ocds-yizhan-{first.reference}", f"ocds-yizhan-{second.reference}"}
    release_lines = [r for r in lines(releases) if r["ocid"] in ours]
    assert [r["ocid"] for r in release_lines] == [
        f"ocds-yizhan-{first.reference}",
        f"ocds-yizhan-{second.reference}",
    ]
    assert all(release_validate(r).is_valid for r in release_lines)
    record_lines = [r for r in lines(records) if r["ocid"] in ours]
    assert len(record_lines) == 2 and all("compiledRelease" in r for r in record_lines)
    assert releases.count == len(lines(releases)) and records.count == len(lines(records))

    # Built again (a retried task): the same files, nothing new.
    again = ocds_bulk_build(day=date(2026, 9, 3))
    assert {b.pk for b in again} == {releases.pk, records.pk} and OcdsBulkFile.objects.count() == 2


def test_a_day_holds_only_what_was_published_by_its_end(two_tenders):
    first, _ = two_tenders
    (releases,) = [b for b in ocds_bulk_build(day=date(2026, 9, 1)) if b.kind == "releases"]
    assert [r["ocid"] for r in lines(releases) if r["date"].startswith("2026-09")] == [
        f"ocds-yizhan-{first.reference}"
    ]


def test_the_open_data_page_lists_each_file_with_its_hash_and_size_and_serves_it(two_tenders):
    built = ocds_bulk_build(day=date(2026, 9, 3))
    page = Client().get("/open-data/")
    html = page.content.decode()
    assert page.status_code == 200 and "开放合同数据" in html
    for bulk in built:
        assert bulk.sha256 in html and f">{bulk.size}<" in html
        download = Client().get(f"/open-data/bulk/{bulk.pk}/")
        body = b"".join(download.streaming_content)
        assert download["Content-Type"] == "application/gzip"
        assert hashlib.sha256(body).hexdigest() == bulk.sha256
    english = Client(headers={"accept-language": "en"})
    english.post("/i18n/setlang/", {"language": "en"})
    assert "Open contracting data" in english.get("/open-data/").content.decode()


def test_the_page_says_when_no_file_exists_yet(db):
    html = Client().get("/open-data/").content.decode()
    assert 'id="no-bulk-files"' in html and "ocds-yizhan" in html
