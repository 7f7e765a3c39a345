"""What the tests of challenges, complaints and contracts build on: the test notice of 2027's
holidays confirmed as an administrator would (1–3 January 2027 off), a supplier that obtained a
tender's documents, and a contract from an announced award."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.services.contracts import contract_create
from tenders.models import DocumentHolder
from tests.awards.factory import announced, at, awaiting_award, decided
from tests.conftest import calendar_forget
from workdays import services as calendar_services

NOTICE_2027 = Path(__file__).parent.parent / "workdays" / "notices" / "2027-test.txt"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def enter_2027(demo) -> None:
    """The platform administrator enters the (test) 2027 notice: New Year 1–3 January is a holiday,
    so periods running out over it end on Monday 4 January or later."""
    calendar_forget(2027)
    admin = demo.users["admin"]
    year, _parsed = calendar_services.calendar_year_draft_from_notice(
        text=NOTICE_2027.read_text(encoding="utf-8"), by=admin
    )
    calendar_services.calendar_year_confirm(
        year_id=year.pk,
        by=admin,
        notice_title=year.notice_title,
        notice_number=year.notice_number,
        notice_date=dt.date(2026, 11, 20),
    )


def documents_obtained(demo, tender, username: str) -> None:
    """The supplier's administrator downloaded the tender's documents (a document holder)."""
    DocumentHolder.objects.get_or_create(tender=tender, user=demo.users[username])


def signed_pdf(name: str = "contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def announced_award(demo, *, on: str = "2026-12-02", method: str = "competitive_consultation", **kwargs):
    """A tender decided (the 495,000 bid of supplier 3, ranked first) and announced on `on`: the
    award notice goes to the winner that day. Competitive consultation by default, so no
    candidates' publicity comes first (tests/awards/test_deadlines.py does the same). Returns
    (tender, decision)."""
    ceremony, _members = awaiting_award(demo, method=method, **kwargs)
    tender = ceremony.tender
    with time_machine.travel(at(on, "10:00"), tick=False):
        decision = decided(demo, tender)
        announced(demo, tender, decision)
    decision.refresh_from_db()
    tender.refresh_from_db()
    return tender, decision


def draft_contract(demo, decision, *, on: str, security: str = "0.00"):
    with time_machine.travel(at(on, "11:00"), tick=False):
        return contract_create(
            award_id=decision.pk,
            by=demo.users["officer"],
            title="智慧教室设备采购合同",
            amount=decision.amount,
            main_items="交互式智慧黑板 60套",
            starts_on=dt.date(2027, 1, 10),
            ends_on=dt.date(2027, 3, 31),
            performance_security=Decimal(security),
        )
