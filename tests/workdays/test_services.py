"""Entering a year: a draft from the pasted notice, confirmed complete into the ledger, single
days changed afterwards with a reason (ledgered too); provisional years only on a demo
installation; the one warning mail from 1 November."""

from datetime import date

import pytest
from django.core import mail
from django.test import override_settings

from config.exceptions import NotAllowed
from ledger.models import LedgerEntry
from tests.conftest import calendar_forget
from tests.workdays.test_notice import notice
from workdays import services
from workdays.calendar import add_working_days, is_working_day
from workdays.constants import YearSource, YearStatus
from workdays.exceptions import CalendarYearLocked, CalendarYearUnknown, NoticeInvalid, ProvisionalNotAllowed
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(demo):
    return demo.users["admin"]


def draft_2027(admin):
    calendar_forget(2027)
    return services.calendar_year_draft_from_notice(text=notice("2027-test.txt"), by=admin)[0]


def test_a_pasted_notice_is_a_draft_until_confirmed_then_counts_and_is_ledgered(admin):
    year = draft_2027(admin)
    assert year.status == YearStatus.DRAFT and year.notice_number == "国办发明电〔2026〕99号"
    with pytest.raises(CalendarYearUnknown):
        is_working_day(date(2027, 2, 8))
    before = LedgerEntry.objects.count()
    services.calendar_year_confirm(
        year_id=year.pk,
        by=admin,
        notice_title=year.notice_title,
        notice_number=year.notice_number,
        notice_date=date(2026, 11, 20),
    )
    assert not is_working_day(date(2027, 2, 8))  # Spring Festival, as the notice says
    assert is_working_day(date(2027, 2, 20))  # a make-up Saturday
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    entry = LedgerEntry.objects.get(index=before)
    payload = entry.document["payload"]
    assert entry.kind == "workdays/year-confirmed"
    assert payload["year"] == 2027 and payload["notice_number"] == "国办发明电〔2026〕99号"
    assert "2027-02-08" in payload["holidays"] and payload["makeup_working_days"][0] == "2027-02-20"
    # A confirmed year is not replaced by another paste; single days change with a reason.
    with pytest.raises(CalendarYearLocked):
        services.calendar_year_draft_from_notice(text=notice("2027-test.txt"), by=admin)


def test_changing_a_day_of_a_confirmed_year_needs_a_reason_and_is_ledgered(admin):
    year = draft_2027(admin)
    services.calendar_year_confirm(
        year_id=year.pk, by=admin, notice_title="t", notice_number="国办发明电〔2026〕99号", notice_date=None
    )
    with pytest.raises(NoticeInvalid):
        services.calendar_day_set(
            year_id=year.pk, day=date(2027, 3, 1), is_working_day=False, note="", reason=" ", by=admin
        )
    assert is_working_day(date(2027, 3, 1))
    services.calendar_day_set(
        year_id=year.pk,
        day=date(2027, 3, 1),
        is_working_day=False,
        note="临时调整",
        reason="国办发明电〔2027〕1号",
        by=admin,
    )
    assert not is_working_day(date(2027, 3, 1))
    entry = LedgerEntry.objects.order_by("-index").first()
    assert entry.kind == "workdays/day-changed"
    assert entry.document["payload"] | {} == {
        "type": "workdays/day-changed",
        "year": 2027,
        "date": "2027-03-01",
        "was_working_day": True,
        "is_working_day": False,
        "reason": "国办发明电〔2027〕1号",
    }


def test_only_an_administrator_writes_the_calendar(demo):
    with pytest.raises(NotAllowed):
        services.calendar_year_draft_from_notice(text=notice("2027-test.txt"), by=demo.users["officer"])
    assert not CalendarYear.objects.filter(year=2027, source=YearSource.NOTICE).exists()


def test_a_bad_notice_changes_nothing(admin):
    calendar_forget(2027)
    with pytest.raises(NoticeInvalid):
        services.calendar_year_draft_from_notice(
            text="国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周四）放假，共1天。", by=admin
        )
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_provisional_year_is_refused_outside_a_demo_installation():
    calendar_forget(2031)
    with override_settings(WORKDAYS_PROVISIONAL_ALLOWED=False), pytest.raises(ProvisionalNotAllowed):
        services.calendar_year_provisional_ensure(year=2031)
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_production_settings_never_allow_a_provisional_year():
    import ast
    from pathlib import Path

    source = Path("config/settings/production.py").read_text()
    assigned = {
        node.targets[0].id: node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert isinstance(assigned["WORKDAYS_PROVISIONAL_ALLOWED"], ast.Constant)
    assert assigned["WORKDAYS_PROVISIONAL_ALLOWED"].value is False


def test_a_provisional_year_has_the_fixed_holidays_and_is_labelled():
    calendar_forget(2031)
    record = services.calendar_year_provisional_ensure(year=2031)
    assert record.source == YearSource.DEMO_PROVISIONAL and record.status == YearStatus.CONFIRMED
    assert "非官方" in record.notice_title
    assert not is_working_day(date(2031, 10, 3)) and not is_working_day(date(2031, 1, 1))
    assert services.calendar_year_provisional_ensure(year=2031) is None  # once
    assert services.calendar_year_provisional_ensure(year=2026) is None  # the package knows 2026


def test_administrators_get_one_mail_from_1_november_while_next_year_is_unknown(
    admin, django_capture_on_commit_callbacks
):
    calendar_forget(2027)
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.calendar_warning_send(today=date(2026, 10, 31))
        assert services.calendar_warning_send(today=date(2026, 11, 1))
        assert not services.calendar_warning_send(today=date(2026, 11, 2))  # one mail, not one a day
    sent = [m for m in mail.outbox if "2027" in m.subject]
    assert len(sent) == 1 and admin.email in sent[0].to
    assert "2027年节假日安排尚未录入" in sent[0].subject


def test_no_mail_once_next_year_is_known(admin):
    calendar_forget(2027)
    services.calendar_year_provisional_ensure(year=2027)
    assert not services.calendar_warning_send(today=date(2026, 11, 5))
    assert mail.outbox == []


def test_the_notice_replaces_a_provisional_year(admin):
    calendar_forget(2027)
    services.calendar_year_provisional_ensure(year=2027)
    year, _parsed = services.calendar_year_draft_from_notice(text=notice("2027-test.txt"), by=admin)
    assert year.status == YearStatus.DRAFT and year.source == YearSource.NOTICE
    assert year.days.filter(date=date(2027, 2, 8), is_working_day=False).exists()
    services.calendar_year_confirm(
        year_id=year.pk,
        by=admin,
        notice_title=year.notice_title,
        notice_number=year.notice_number,
        notice_date=None,
    )
    assert not is_working_day(date(2027, 2, 8))
