"""The public OCDS API: release and record packages with the publisher, licence and policy filled,
filtered by ocid, buyer and date range, a page at a time; bad filters are refused with a message
and nothing else happens. Releases are stored directly here (the API serves what is stored)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from config import clock
from reports.models import OcdsRelease
from reports.ocds.validation import record_package_validate, release_package_validate

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
BUYER_A = "11310000002419760H"
BUYER_B = "12310000425007581U"


def release(ocid: str, n: int, day: str, buyer: str, tag: str = "tender") -> dict:
    return {
        "ocid": f"ocds-yizhan-{ocid}",
        "id": f"ocds-yizhan-{ocid}-{n:03d}",
        "date": f"{day}T10:00:00+08:00",
        "tag": [tag],
        "initiationType": "tender",
        "buyer": {"id": f"CN-SAIC-{buyer}", "name": buyer},
        "parties": [
            {
                "id": f"CN-SAIC-{buyer}",
                "name": buyer,
                "identifier": {"scheme": "CN-SAIC", "id": buyer},
                "roles": ["buyer"],
            }
        ],
        "tender": {"id": ocid, "title": f"{ocid} #{n}", "status": "active"},
    }


@pytest.fixture
def stored(db):
    rows = [
        release("T1", 1, "2026-09-01", BUYER_A),
        release("T1", 2, "2026-09-10", BUYER_A, "tenderAmendment"),
        release("T1", 3, "2026-09-20", BUYER_A, "tenderAmendment"),
        release("T2", 1, "2026-09-05", BUYER_B),
        release("T3", 1, "2026-10-02", BUYER_A),
    ]
    OcdsRelease.objects.bulk_create(
        OcdsRelease(
            release_id=r["id"],
            ocid=r["ocid"],
            date=datetime.fromisoformat(r["date"]),
            buyer=r["buyer"]["id"],
            tags=r["tag"],
            source=f"test:{r['id']}",
            release=r,
            stored_at=clock.now(),
        )
        for r in rows
    )
    return rows


def get(path: str, **params):
    return Client().get(path, params, HTTP_ACCEPT="application/json")


def test_release_package_carries_the_publication_metadata_and_validates(stored):
    package = get("/api/ocds/releases/").json()
    assert [r["id"] for r in package["releases"]] == [
        "ocds-yizhan-T1-001",
        "ocds-yizhan-T2-001",
        "ocds-yizhan-T1-002",
        "ocds-yizhan-T1-003",
        "ocds-yizhan-T3-001",
    ]
    assert package["publisher"]["name"] and package["uri"].endswith("/api/ocds/releases/")
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publicationPolicy"].endswith("/open-data/#policy")
    assert package["version"] == "1.1" and package["publishedDate"]
    assert release_package_validate(package).is_valid


def test_pages_follow_links_next_and_prev(stored):
    first = get("/api/ocds/releases/", page_size=2).json()
    assert [r["id"] for r in first["releases"]] == ["ocds-yizhan-T1-001", "ocds-yizhan-T2-001"]
    assert "prev" not in first["links"]
    second = Client().get(first["links"]["next"].replace("http://127.0.0.1:8000", "")).json()
    assert [r["id"] for r in second["releases"]] == ["ocds-yizhan-T1-002", "ocds-yizhan-T1-003"]
    assert "page_size=2" in second["links"]["prev"] and "page=3" in second["links"]["next"]
    last = get("/api/ocds/releases/", page_size=2, page=3).json()
    assert [r["id"] for r in last["releases"]] == ["ocds-yizhan-T3-001"] and "next" not in last.get(
        "links", {}
    )
    assert get("/api/ocds/releases/", page_size=2, page=4).status_code == 404


def test_filters_by_ocid_buyer_and_date_range(stored):
    ids = lambda **params: [r["id"] for r in get("/api/ocds/releases/", **params).json()["releases"]]  # noqa: E731
    assert ids(ocid="ocds-yizhan-T2") == ["ocds-yizhan-T2-001"]
    assert ids(buyer=BUYER_B) == ["ocds-yizhan-T2-001"]
    assert ids(buyer=f"CN-SAIC-{BUYER_A}", date_from="2026-09-10") == [
        "ocds-yizhan-T1-002",
        "ocds-yizhan-T1-003",
        "ocds-yizhan-T3-001",
    ]
    # A day given as the end includes that whole day.
    assert ids(date_from="2026-09-05", date_to="2026-09-10") == ["ocds-yizhan-T2-001", "ocds-yizhan-T1-002"]
    assert ids(date_to="2026-09-05T09:59:59+08:00") == ["ocds-yizhan-T1-001"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "2026-09-10", "date_to": "2026-09-01"}, "date_to"),
        ({"page_size": "1000"}, "page_size"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_filters_are_refused_with_a_message(stored, params, field):
    response = get("/api/ocds/releases/", **params)
    assert response.status_code == 400
    assert field in str(response.json())


def test_record_packages_compile_each_process_and_validate(stored):
    package = get("/api/ocds/records/", buyer=BUYER_A).json()
    assert [r["ocid"] for r in package["records"]] == ["ocds-yizhan-T3", "ocds-yizhan-T1"]  # latest first
    t1 = package["records"][1]
    assert [link["tag"] for link in t1["releases"]] == [["tender"], ["tenderAmendment"], ["tenderAmendment"]]
    assert t1["releases"][2]["url"].endswith("/api/ocds/releases/?ocid=ocds-yizhan-T1#ocds-yizhan-T1-003")
    assert t1["compiledRelease"]["tender"]["title"] == "T1 #3"
    assert record_package_validate(package).is_valid
    paged = get("/api/ocds/records/", page_size=1, page=2).json()
    assert [r["ocid"] for r in paged["records"]] == ["ocds-yizhan-T1"]


def test_one_record_by_its_ocid(stored):
    package = get("/api/ocds/records/ocds-yizhan-T2/").json()
    (record,) = package["records"]
    assert record["ocid"] == "ocds-yizhan-T2" and record["compiledRelease"]["tag"] == ["compiled"]
    assert get("/api/ocds/records/ocds-yizhan-T9/").status_code == 404
