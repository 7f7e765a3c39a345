"""The contracting process carried through award, contract and acceptance: a release for each stage
in the tender's ocid and one record compiling them, valid against the schema. Built twice: from
constructed facts (the adapter's contract), and from what the awards app publishes (its result and
contract announcements, its acceptance ledger entry), written here as that app writes them."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from ledger.encoding import jcs
from ledger.services import ledger_append
from reports.ocds import awards
from reports.ocds.awards import AcceptanceFacts, AwardFacts, ContractFacts, ProcessFacts, SupplierFacts
from reports.ocds.packages import record_for, record_package
from reports.ocds.selectors import ReleaseFilters, ocds_records, ocds_releases
from reports.ocds.services import ocds_releases_sync, releases_built_for_tender
from reports.ocds.validation import record_package_validate, release_validate
from tenders.models import Announcement
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-09-01", "09:00")
DEADLINE = at("2026-10-20", "09:30")
WINNER = SupplierFacts(name="上海智教科技有限公司", credit_code="91310000MA1FL0XQ2K")


def published(demo):
    with time_machine.travel(ISSUE, tick=False):
        return publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE))


def assert_valid(releases, record):
    for release in releases:
        assert release_validate(release).is_valid, str(release_validate(release))
    report = record_package_validate(record_package([record], uri="https://example.org/p"))
    assert report.is_valid, str(report)


def test_constructed_award_contract_and_acceptance_give_a_release_each_and_one_record(demo, award_facts):
    tender = published(demo)
    award_facts[tender.pk] = ProcessFacts(
        awards=[
            AwardFacts(
                key="A1",
                published_at=at("2026-11-02", "10:00"),
                title="第1包中标结果",
                amount=Decimal("488000.00"),
                suppliers=[WINNER],
                lots=["1"],
                notice_url="https://yizhan.example/notices/x#announcement-3",
                notice_sha256="a" * 64,
                ledger_index=41,
            )
        ],
        contracts=[
            ContractFacts(
                key="HT-2026-0001",
                award_key="A1",
                published_at=at("2026-11-20", "10:00"),
                title="智慧黑板采购合同（第1包）",
                amount="488000.00",
                signed_on=date(2026, 11, 18),
                period_start=date(2026, 11, 20),
                period_end=date(2027, 1, 31),
                ledger_index=52,
            )
        ],
        acceptances=[
            AcceptanceFacts(
                key="HT-2026-0001",
                contract_key="HT-2026-0001",
                accepted_at=at("2027-02-10", "15:00"),
                passed=True,
                ledger_index=60,
            )
        ],
    )
    releases = [built.release for built in releases_built_for_tender(tender)]
    assert [r["tag"] for r in releases] == [["tender"], ["award"], ["contract"], ["implementation"]]
    assert {r["ocid"] for r in releases} == {f"ocds-yizhan-{tender.reference}"}
    assert [r["ledgerEntry"]["index"] for r in releases[1:]] == [41, 52, 60]

    record = record_for(releases[0]["ocid"], releases)
    assert len(record["releases"]) == 4
    compiled = record["compiledRelease"]
    (award,) = compiled["awards"]
    assert award["value"] == {"amount": 488000, "currency": "CNY"} and award["relatedLots"] == ["1"]
    supplier = next(p for p in compiled["parties"] if p["id"] == award["suppliers"][0]["id"])
    assert supplier["identifier"]["id"] == WINNER.credit_code and "supplier" in supplier["roles"]
    (contract,) = compiled["contracts"]
    assert contract["awardID"] == "A1" and contract["dateSigned"] == "2026-11-18T00:00:00+08:00"
    assert contract["status"] == "terminated"  # completed and accepted
    assert contract["implementation"]["milestones"][0]["status"] == "met"
    assert compiled["tender"]["status"] == "complete"
    # The tender's own facts survive the later releases in the compiled record.
    assert compiled["tender"]["title"] == tender.title
    assert [(lot["id"], lot["status"]) for lot in compiled["tender"]["lots"]] == [
        ("1", "complete"),
        ("2", "active"),
    ]
    assert_valid(releases, record)


def _announce(tender, kind, sequence_title, payload):
    """An announcement as tenders._announce freezes one (what the awards app publishes through)."""
    sequence = tender.announcements.count() + 1
    payload = {**payload, "announcement": sequence}
    entry = ledger_append(
        kind=f"tender/{kind}", payload={"tender": tender.reference, "announcement": sequence}
    )
    return Announcement.objects.create(
        tender=tender,
        kind=kind,
        sequence=sequence,
        title=sequence_title,
        body="",
        published_at=at("2026-11-02", "10:00") if kind == "result" else at("2026-11-20", "10:00"),
        payload=payload,
        payload_sha256=hashlib.sha256(jcs(payload)).hexdigest(),
        ledger_index=entry.index,
    )


def test_the_awards_apps_publications_become_award_contract_and_implementation_releases(demo):
    assert awards.facts_sources == [awards.facts_from_publications]
    tender = published(demo)
    with transaction.atomic():
        _announce(
            tender,
            "result",
            "智慧黑板：中标结果公告",
            {
                "type": "yizhan/result-announcement",
                "lot": "2",
                "winner": {
                    "name": WINNER.name,
                    "address": "上海市浦东新区",
                    "credit_code": WINNER.credit_code,
                },
                "amount": "495000.00",
                "currency": "CNY",
                "contact": {"name": tender.contact_name, "phone": tender.contact_phone},
                "committee": [{"name": "王建国", "kind": "expert"}],
            },
        )
        _announce(
            tender,
            "contract",
            "合同公告：智慧黑板（第2包）",
            {
                "type": "yizhan/contract-notice",
                "lot": "2",
                "contract": "HT-2026-0002",
                "title": "智慧黑板采购合同（第2包）",
                "supplier": {
                    "name": WINNER.name,
                    "credit_code": WINNER.credit_code,
                    "address": "上海市浦东新区",
                },
                "amount": "495000.00",
                "signed_on": "2026-11-18",
                "performance_from": "2026-11-20",
                "performance_until": "2027-01-31",
            },
        )
        ledger_append(
            kind="awards/acceptance",
            payload={
                "tender": tender.reference,
                "contract": "HT-2026-0002",
                "accepted_on": "2027-02-10",
                "passed": False,
            },
        )
    ocds_releases_sync()
    releases = list(
        ocds_releases(filters=ReleaseFilters(ocid=f"ocds-yizhan-{tender.reference}")).values_list(
            "release", flat=True
        )
    )
    assert [r["tag"] for r in releases] == [["tender"], ["award"], ["contract"], ["implementation"]]
    (record,) = ocds_records(ocids=[releases[0]["ocid"]])
    compiled = record["compiledRelease"]
    assert compiled["awards"][0]["relatedLots"] == ["2"]
    assert compiled["contracts"][0]["awardID"] == compiled["awards"][0]["id"]
    assert compiled["contracts"][0]["value"]["amount"] == 495000
    assert compiled["contracts"][0]["implementation"]["milestones"][0]["status"] == "notMet"
    # The committee's and the contact person's names stay in the announcement, not in open data.
    assert "王建国" not in str(record) and tender.contact_name not in str(record)
    assert "上海市浦东新区" not in str(record)
    assert_valid(releases, record)
    assert ocds_releases_sync() == 0
