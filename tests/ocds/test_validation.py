"""The offline validator: every release and record of the demo is valid against the vendored OCDS
1.1.5 schema and codelists; a corrupted release is reported invalid, with where and why; nothing
is fetched from the network (the schema's URLs resolve to files in the repository)."""

import json
import socket
from pathlib import Path

import pytest

from reports.models import OcdsRelease
from reports.ocds.packages import record_for, record_package, release_package
from reports.ocds.selectors import ocds_records
from reports.ocds.validation import (
    SCHEMA_DIR,
    record_package_validate,
    release_package_validate,
    release_validate,
)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the validator tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.django_db
def test_every_demo_release_and_record_is_valid(demo, no_network):
    releases = list(OcdsRelease.objects.order_by("date", "id").values_list("release", flat=True))
    tags = {tag for release in releases for tag in release["tag"]}
    assert {"tender", "tenderAmendment", "tenderUpdate", "tenderCancellation"} <= tags
    for release in releases:
        report = release_validate(release)
        assert report.is_valid, f"{release['id']}: {report}"
    assert release_package_validate(release_package(releases, uri="https://example.org/r")).is_valid
    records = ocds_records(ocids=sorted({release["ocid"] for release in releases}))
    assert len(records) == len({release["ocid"] for release in releases})
    report = record_package_validate(record_package(records, uri="https://example.org/p"))
    assert report.is_valid, str(report)


EXAMPLE = Path(__file__).with_name("release-example.json")  # an amendment release the demo made


@pytest.fixture
def demo_release():
    release = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert release_validate(release).is_valid
    return release


def test_the_example_release_is_valid_as_it_stands(demo_release):
    assert release_validate(demo_release).errors == []


def test_a_release_without_ocid_is_invalid(demo_release, no_network):
    del demo_release["ocid"]
    report = release_validate(demo_release)
    assert not report.is_valid
    assert report.errors == ["$: 'ocid' is a required property"]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("tender", "status"), "open", "$.tender.status: 'open' is not a code of tenderStatus.csv"),
        (("tag",), ["notice"], "$.tag: 'notice' is not a code of releaseTag.csv"),
        (
            ("tender", "mainProcurementCategory"),
            "supplies",
            "$.tender.mainProcurementCategory: 'supplies' is not a code of procurementCategory.csv",
        ),
        (
            ("tender", "items", 0, "classification", "scheme"),
            "GB-XYZ",
            "$.tender.items[0].classification.scheme: 'GB-XYZ' is not a code of itemClassificationScheme.csv",
        ),
        (
            ("tender", "documents", 0, "documentType"),
            "notice",
            "$.tender.documents[0].documentType: 'notice' is not a code of documentType.csv",
        ),
        (("parties", 0, "roles"), ["owner"], "$.parties[0].roles: 'owner' is not a code of partyRole.csv"),
        (
            ("tender", "value", "currency"),
            "RMB",
            "$.tender.value.currency: 'RMB' is not a code of currency.csv",
        ),
    ],
)
def test_a_wrong_codelist_value_is_reported(demo_release, no_network, path, value, expected):
    target = demo_release
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    report = release_validate(demo_release)
    assert expected in report.errors


def test_a_wrong_type_and_a_bad_date_are_reported(demo_release, no_network):
    demo_release["tender"]["value"]["amount"] = "1000000.00"
    demo_release["date"] = "2026-13-40"
    errors = release_validate(demo_release).errors
    assert "$.tender.value.amount: '1000000.00' is not of type 'number', 'null'" in errors
    assert "$.date: '2026-13-40' is not a 'date-time'" in errors


def test_a_corrupted_release_in_a_record_package_is_reported(demo_release, no_network):
    record = record_for(demo_release["ocid"], [demo_release])
    record["compiledRelease"]["tender"]["status"] = "done"
    del record["releases"][0]["date"]
    errors = record_package_validate(record_package([record], uri="https://example.org/p")).errors
    assert "$.records[0].compiledRelease.tender.status: 'done' is not a code of tenderStatus.csv" in errors
    assert "$.records[0].releases[0]: 'date' is a required property" in errors


def test_a_reference_outside_the_vendored_files_is_reported_not_fetched(demo_release, no_network):
    record = record_for(demo_release["ocid"], [demo_release])
    record["versionedRelease"] = {"ocid": record["ocid"]}
    errors = record_package_validate(record_package([record], uri="https://example.org/p")).errors
    assert len(errors) == 1 and "reference not available offline" in errors[0]


def test_the_schema_is_vendored_in_the_repository():
    names = {path.name for path in SCHEMA_DIR.glob("*.json")}
    assert names == {"release-schema.json", "release-package-schema.json", "record-package-schema.json"}
    assert len(list((SCHEMA_DIR / "codelists").glob("*.csv"))) == 19
