"""Releases of one tender's contracting process as the announcements publish it: the notice, each
amendment, a clarification, a cancellation, a failure; one record compiling them by the OCDS merge
rules; every one valid against the vendored OCDS 1.1.5 schema."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.privacy import LedgerPrivacyScanner
from procurement.methods import procurement_methods_ensure
from procurement.models import PlanStatus, ProcurementPlan
from reports.models import OcdsRelease
from reports.ocds.packages import record_for, record_package, release_package
from reports.ocds.selectors import ReleaseFilters, ocds_records, ocds_releases
from reports.ocds.services import ocds_releases_sync
from reports.ocds.validation import (
    codelists,
    record_package_validate,
    release_package_validate,
    release_validate,
)
from tenders import services
from tenders.models import Announcement
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-09-01", "09:00")
DEADLINE = at("2026-10-20", "09:30")


def published(demo):
    with time_machine.travel(ISSUE, tick=False):
        return publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE))


def releases_of(tender) -> list[dict]:
    ocds_releases_sync()
    ocid = f"ocds-yizhan-{tender.reference}"
    return list(ocds_releases(filters=ReleaseFilters(ocid=ocid)).values_list("release", flat=True))


def record_of(tender) -> dict:
    (record,) = ocds_records(ocids=[f"ocds-yizhan-{tender.reference}"])
    return record


def assert_valid(releases: list[dict], record: dict) -> None:
    for release in releases:
        report = release_validate(release)
        assert report.is_valid, str(report)
    for report in (
        release_package_validate(release_package(releases, uri="https://example.org/p")),
        record_package_validate(record_package([record], uri="https://example.org/r")),
    ):
        assert report.is_valid, str(report)


def test_a_tender_amended_twice_yields_three_releases_and_one_record_with_the_latest_values(demo):
    tender = published(demo)
    officer = demo.users["officer"]
    with time_machine.travel(at("2026-09-10", "10:00"), tick=False):
        first = services.tender_amend(
            tender_id=tender.pk,
            by=officer,
            summary="更正技术参数第5项",
            description="采购交互式智慧黑板80套。",
        )
    with time_machine.travel(at("2026-09-20", "10:00"), tick=False):
        second = services.tender_amend(
            tender_id=tender.pk,
            by=officer,
            summary="延长投标截止时间并更新招标文件",
            bid_deadline=at("2026-10-27", "09:30"),
            qualification_requirements="具有独立承担民事责任的能力。",
            documents=[("招标文件", SimpleUploadedFile("tender-v2.pdf", b"%PDF-1.4 second version"))],
        )

    releases = releases_of(tender)
    assert [r["tag"] for r in releases] == [["tender"], ["tenderAmendment"], ["tenderAmendment"]]
    assert len({r["id"] for r in releases}) == 3 and len({r["ocid"] for r in releases}) == 1
    assert releases[0]["tender"]["description"] == "采购交互式智慧黑板60套及安装调试服务。"
    assert releases[1]["tender"]["description"] == "采购交互式智慧黑板80套。"
    # Each release links the ledger entry of its own announcement.
    assert [r["ledgerEntry"]["index"] for r in releases] == [
        a.ledger_index for a in Announcement.objects.filter(tender=tender).order_by("sequence")
    ]

    record = record_of(tender)
    assert [link["tag"] for link in record["releases"]] == [
        ["tender"],
        ["tenderAmendment"],
        ["tenderAmendment"],
    ]
    compiled = record["compiledRelease"]["tender"]
    assert compiled["description"] == "采购交互式智慧黑板80套。"
    assert compiled["eligibilityCriteria"] == "具有独立承担民事责任的能力。"
    assert compiled["tenderPeriod"]["endDate"] == "2026-10-27T09:30:00+08:00"
    assert [(a["id"], a["rationale"]) for a in compiled["amendments"]] == [
        (str(first.sequence), "更正技术参数第5项"),
        (str(second.sequence), "延长投标截止时间并更新招标文件"),
    ]
    assert compiled["amendments"][1]["amendsReleaseID"] == releases[1]["id"]
    assert compiled["amendments"][1]["releaseID"] == releases[2]["id"]
    # Both versions of the tender file are listed, each with its hash; amounts as the ledger had them.
    files = {d["id"]: d for d in compiled["documents"] if d["documentType"] == "biddingDocuments"}
    assert set(files) == {"招标文件-v1", "招标文件-v2"}
    assert all(len(d["sha256"]) == 64 and d["url"].startswith("http") for d in files.values())
    assert compiled["value"] == {"amount": 1000000, "currency": "CNY"}
    assert [lot["value"]["amount"] for lot in compiled["lots"]] == [500000, 500000]
    assert {item["relatedLot"] for item in compiled["items"]} == {"1", "2"}
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert_valid(releases, record)


def test_the_parties_carry_the_credit_code_under_cn_saic_and_nothing_personal(demo):
    tender = published(demo)
    with time_machine.travel(at("2026-09-05", "10:00"), tick=False):
        question = services.question_ask(
            tender_id=tender.pk, by=demo.users["supplier1"], text="是否接受进口产品？"
        )
        services.question_answer(question_id=question.pk, by=demo.users["officer"], answer="不接受进口产品。")
    releases = releases_of(tender)
    assert [r["tag"] for r in releases] == [["tender"], ["tenderUpdate"]]
    parties = {p["name"]: p for p in releases[0]["parties"]}
    buyer = demo.orgs["buyer"]
    assert parties[buyer.name]["identifier"] == {
        "scheme": "CN-SAIC",
        "id": buyer.credit_code,
        "legalName": buyer.name,
    }
    assert parties[buyer.name]["roles"] == ["buyer"]
    assert parties[demo.orgs["agency"].name]["roles"] == ["procuringEntity"]
    assert releases[1]["tender"]["hasEnquiries"] is True

    people = list(demo.users.values())
    # A demo login named like an OCDS code ("buyer") is not found in a role: only other usernames count.
    codes = set().union(*codelists().values())
    scanner = LedgerPrivacyScanner(
        private_words={"username": [u.username for u in people if u.username not in codes]},
        private_values={
            "name": [u.get_full_name() for u in people] + [tender.contact_name],
            "phone": [tender.contact_phone],
            "email": [u.email for u in people],
        },
        private_texts=[question.text],
    )
    findings = [f for n, r in enumerate(releases) for f in scanner.scan(index=n, kind="ocds", document=r)]
    assert findings == []


def test_cancellation_and_failure_close_the_tender_in_their_releases(demo):
    cancelled = published(demo)
    with time_machine.travel(at("2026-09-03", "10:00"), tick=False):
        services.tender_cancel(
            tender_id=cancelled.pk, by=demo.users["officer"], reason="采购需求发生重大变化。"
        )
    (_, cancellation) = releases_of(cancelled)
    assert cancellation["tag"] == ["tenderCancellation"]
    assert cancellation["tender"]["status"] == "cancelled"
    assert {lot["status"] for lot in cancellation["tender"]["lots"]} == {"cancelled"}
    assert cancellation["tender"]["documents"][-1]["documentType"] == "cancellationDetails"

    with time_machine.travel(ISSUE, tick=False):
        failed = publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="第二个项目"))
    with time_machine.travel(DEADLINE, tick=False):
        services.tender_opening_start(tender_id=failed.pk, by=None)
        services.tender_fail(tender_id=failed.pk, by=None, reason="不足3家", bids_received=2)
        draft = failed.notice_drafts.get()
        services.failure_notice_publish(
            draft_id=draft.pk, by=demo.users["officer"], title=draft.title, body=draft.body
        )
    (_, failure) = releases_of(failed)
    assert failure["tag"] == ["tenderUpdate"]
    assert failure["tender"]["status"] == "unsuccessful" and failure["tender"]["numberOfTenderers"] == 2
    # The drafted notice text names the contact person: it is not copied into the release.
    assert failed.contact_name not in str(failure)
    assert_valid([failure], record_of(failed))


def test_releases_are_stored_once_and_never_rewritten(demo):
    tender = published(demo)
    assert ocds_releases_sync() >= 1
    stored = OcdsRelease.objects.get(ocid=f"ocds-yizhan-{tender.reference}")
    assert ocds_releases_sync() == 0
    assert OcdsRelease.objects.get(pk=stored.pk).release == stored.release


def test_an_approved_plan_is_a_planning_release_and_its_tender_points_to_it(demo):
    methods = procurement_methods_ensure()
    plan = ProcurementPlan.objects.create(
        buyer=demo.orgs["buyer"],
        year=2026,
        title="2026年度智慧教室设备采购计划",
        category_code="A0201",
        method=methods["open_tender"],
        budget="1200000.00",
        status=PlanStatus.APPROVED,
        created_by=demo.users["officer"],
        decided_at=at("2026-08-20", "10:00"),
    )
    with time_machine.travel(ISSUE, tick=False):
        tender = publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE, plan=plan))
    ocds_releases_sync()
    (planning,) = ocds_releases(filters=ReleaseFilters(ocid=f"ocds-yizhan-PLAN-2026-{plan.pk}")).values_list(
        "release", flat=True
    )
    assert planning["tag"] == ["planning"] and planning["tender"]["status"] == "planned"
    assert planning["planning"]["budget"]["amount"] == {"amount": 1200000, "currency": "CNY"}
    assert planning["date"] == "2026-08-20T10:00:00+08:00"
    (notice,) = releases_of(tender)
    assert notice["relatedProcesses"] == [
        {
            "id": "plan",
            "relationship": ["planning"],
            "title": plan.title,
            "scheme": "ocid",
            "identifier": planning["ocid"],
        }
    ]
    assert_valid([planning], record_for(planning["ocid"], [planning]))
