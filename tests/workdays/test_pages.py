"""The administrator's calendar pages (paste a notice, check the year as a calendar, confirm),
the banners officers and administrators see, and the tender editor that always opens."""

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import calendar_forget
from tests.tenders.factories import at, make_tender
from tests.workdays.test_notice import notice
from workdays.constants import YearStatus
from workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_an_administrator_imports_checks_and_confirms_a_year(client, demo):
    calendar_forget(2027)
    client.force_login(demo.users["admin"])
    page = client.get(reverse("workdays:years")).content.decode()
    assert "未知：延伸到该年度的期限将被拒绝" in page
    answer = client.post(reverse("workdays:import"), {"text": notice("2027-test.txt")})
    assert answer.status_code == 302 and answer["Location"] == reverse("workdays:year", args=[2027])
    page = client.get(answer["Location"]).content.decode()
    assert "草稿：确认前不生效" in page
    assert "2027-02-08" in page and "2027-02-20" in page  # a festival day and a make-up Saturday listed
    assert page.count("yz-calendar__month") >= 12
    assert CalendarYear.objects.get(year=2027).status == YearStatus.DRAFT
    client.post(
        reverse("workdays:confirm", args=[2027]),
        {
            "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
            "notice_number": "国办发明电〔2026〕99号",
        },
    )
    assert CalendarYear.objects.get(year=2027).status == YearStatus.CONFIRMED
    assert "已确认" in client.get(reverse("workdays:year", args=[2027])).content.decode()


def test_a_bad_notice_is_shown_beside_the_field_and_nothing_is_stored(client, demo):
    calendar_forget(2027)
    client.force_login(demo.users["admin"])
    line = "一、元旦：1月1日（周四）至3日（周六）放假，共3天。"
    answer = client.post(
        reverse("workdays:import"), {"text": f"国务院办公厅关于2027年部分节假日安排的通知\n{line}"}
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "无法读取通知中的这一行" in page and line in page and "2027-01-01是周五" in page
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_calendar_pages_are_for_administrators_only(client, demo):
    client.force_login(demo.users["officer"])
    assert client.get(reverse("workdays:years")).status_code == 403
    assert client.post(reverse("workdays:import"), {"text": notice("2027-test.txt")}).status_code == 403


def test_officers_see_the_provisional_year_named_on_their_pages(client, demo):
    calendar_forget(2031)
    from workdays.services import calendar_year_provisional_ensure

    calendar_year_provisional_ensure(year=2031)
    client.force_login(demo.users["officer"])
    page = client.get(reverse("tenders:list")).content.decode()
    assert 'data-calendar-provisional="2031"' in page and "2031年节假日安排是为演示生成的临时安排" in page
    client.force_login(demo.users["citizen1"])
    assert "data-calendar-provisional" not in client.get(reverse("portal:my")).content.decode()


def test_from_1_november_administrators_see_that_next_year_is_unknown(client, demo):
    calendar_forget(2027)
    client.force_login(demo.users["admin"])
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        page = client.get(reverse("workdays:years")).content.decode()
    assert 'data-calendar-unknown="2027"' in page and reverse("workdays:import") in page
    with time_machine.travel("2026-10-30 09:00 +0800", tick=False):
        page = client.get(reverse("workdays:years")).content.decode()
    assert "data-calendar-unknown" not in page


def test_the_tender_editor_opens_and_lists_a_calendar_refusal_beside_its_field(client, demo):
    calendar_forget(2027)
    issue = at("2026-12-21", "09:00")
    with time_machine.travel(issue, tick=False):
        tender = make_tender(demo, issue=issue, deadline=at("2027-01-15"), document_end=at("2027-01-14"))
        client.force_login(demo.users["officer"])
        page = client.get(reverse("tenders:edit", args=[tender.pk]))
        api = client.get(reverse("api-tender-problems", args=[tender.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-rule="calendar_year_unknown"' in html
    assert 'data-rule-for="bid_deadline"' in html and "2027年的法定节假日安排尚未公布" in html
    assert api.status_code == 200
    assert [p["field"] for p in api.json() if p["rule"] == "calendar_year_unknown"] == ["bid_deadline"]
