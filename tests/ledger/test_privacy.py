"""The ledger is public forever: after the demo and after the platform's representative flows,
no entry carries a person's name, username, ID number, phone, e-mail or address, a token or number
that opens or looks up a private record, or a plain hash of a comment or a form
(docs/ledger.md "What the ledger may hold")."""

import hashlib
from datetime import timedelta

import pytest
import time_machine

from approvals.services import (
    approval_approve,
    approval_comment,
    delegation_create,
    delegation_revoke,
)
from config import clock
from ledger.privacy import LedgerPrivacyScanner, id_number_valid
from portal import services as portal_services
from portal.models import Application, Service
from tenders import hooks
from tests.ledger.privacy import ledger_privacy_findings, report
from tests.portal.conftest import MARRIAGE, pay, upload
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    # Before `demo`: the demo counts working days from "today", so today is pinned to a known year.
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


# ---------------------------------------------------------------- the scanner itself


def test_id_numbers_are_recognised_by_their_gb11643_check_digit():
    assert id_number_valid("11010519491231002X")  # the standard's own example
    assert not id_number_valid("110105194912310021")  # one check digit off
    assert not id_number_valid("110105194913310029")  # month 13


def test_the_scanner_flags_each_kind_of_personal_data():
    scanner = LedgerPrivacyScanner(
        private_words={"username": ["citizen1"]},
        private_values={"enquiry_number": ["ZX20260601123456"]},
        private_texts=["符合条件"],
    )

    document = {
        "payload": {
            "id": "身份证11010519491231002X",
            "note": "tel 138-0013-8000",
            "landline": "021-12345678",
            "mail": "wang@example.cn",
            "actor": {"username": "Citizen1"},
            "number": "ZX20260601123456",
            "comment_sha256": hashlib.sha256("符合条件".encode()).hexdigest(),
        }
    }
    found = {(f.path, f.what) for f in scanner.scan(index=0, kind="test", document=document)}
    assert found == {
        ("payload.id", "id_number"),
        ("payload.note", "phone"),
        ("payload.landline", "phone"),
        ("payload.mail", "email"),
        ("payload.actor.username", "username"),
        ("payload.actor.username", "personal_field"),
        ("payload.number", "enquiry_number"),
        ("payload.comment_sha256", "hash_of_private_text"),
    }


def test_the_scanner_leaves_hashes_signatures_and_references_alone():
    scanner = LedgerPrivacyScanner(private_words={"username": ["admin", "citizen1"]})
    document = {
        "payload": {
            "type": "approvals/submitted",
            "reference": "SQ20260601004211",
            "sha256": "f3a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f",
            "signature": "kX2-9_a13800138000bZ0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "role": "supplier_admin",
            "at": "2026-06-01T02:00:00.000Z",
            "amount": "120.00",
        }
    }
    assert scanner.scan(index=0, kind="approvals/submitted", document=document) == []


# ---------------------------------------------------------------- the demo and the flows


def test_the_demo_ledger_holds_no_personal_data(demo):
    findings = ledger_privacy_findings()
    assert not findings, report(findings)


@pytest.fixture
def without_key_guards(monkeypatch):
    # The sealed-bid key ceremony is tested in tests/bidding; publication here needs only the notice.
    monkeypatch.setattr(hooks, "publish_guards", [])
    monkeypatch.setattr(hooks, "before_notice", [])
    monkeypatch.setattr(hooks, "deadline_moved", [])


def test_the_flows_leave_no_personal_data_in_the_ledger(
    demo, without_key_guards, django_capture_on_commit_callbacks
):
    users = demo.users
    citizen, civil, police = users["citizen1"], users["civil_staff"], users["police_staff"]
    # A portal application from payment through its signed decision letter, with comments.
    marriage = Service.objects.get(code="marriage-registration")
    application = portal_services.application_start(user=citizen, service=marriage)
    portal_services.application_save_form(user=citizen, application=application, raw=MARRIAGE)
    for material in marriage.materials.filter(required=True):
        portal_services.attachment_add(
            user=citizen, application=application, material_key=material.key, upload=upload()
        )
    _payment, body, headers = pay(application, citizen)
    portal_services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    portal_services.application_submit(user=citizen, application=application)
    portal_services.application_accept(user=civil, application=application)
    application = Application.objects.get(pk=application.pk)
    approval_comment(instance_id=application.approval_flow_id, user=civil, comment="请核对户籍")
    # A delegation, made and revoked.
    now = clock.now()
    delegation = delegation_create(
        delegator=police,
        delegate=users["hr_staff"],
        starts_at=now,
        ends_at=now + timedelta(days=3),
        reason="出差",
    )
    approval_approve(instance_id=application.approval_flow_id, user=civil, comment="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(instance_id=application.approval_flow_id, user=police, comment="符合条件")
    delegation_revoke(delegation_id=delegation.pk, user=police)
    application = Application.objects.get(pk=application.pk)
    assert application.status == "approved" and application.decision_document is not None
    # A consultation and a complaint, one answered.
    department = application.service.department
    enquiry = portal_services.enquiry_submit(
        kind="consultation",
        department=department,
        subject="结婚登记需要带什么",
        body="请问需要户口簿原件吗？",
        name="王小明",
        contact="13912345678",
        user=citizen,
    )
    portal_services.enquiry_answer(user=civil, enquiry=enquiry, answer="需要原件。")
    portal_services.enquiry_submit(
        kind="complaint",
        department=department,
        subject="窗口排队太久",
        body="等了两个小时。",
        name="赵六",
        contact="zhao.liu@example.cn",
    )
    # A tender published through its approval.
    publish(demo, make_tender(demo, issue=at("2026-06-02"), deadline=at("2026-07-01")))

    findings = ledger_privacy_findings()
    assert not findings, report(findings)
