"""Appointments (预约): offices with opening hours and capacity, slots on working days of the legal
calendar only, booking, cancelling, reminders; the marriage form's date follows the same rules."""

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from portal import services
from portal.citizen_models import Appointment, AppointmentStatus, Notification, Office
from portal.services import appointments
from portal.services.appointments import AppointmentRefused
from tests.portal.conftest import MARRIAGE

pytestmark = pytest.mark.django_db

FRIDAY = "2026-12-04 10:00 +0800"
SUNDAY, MONDAY = date(2026, 12, 6), date(2026, 12, 7)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(FRIDAY, tick=False):  # before `demo`, which counts days
        yield


@pytest.fixture
def huangpu(demo) -> Office:
    return Office.objects.get(code="huangpu")


def test_the_demo_has_offices_with_hours_and_capacity(demo):
    assert set(Office.objects.values_list("code", flat=True)) >= {
        "huangpu",
        "xuhui",
        "pudong",
        "citizen-centre",
    }
    huangpu = Office.objects.get(code="huangpu")
    assert huangpu.capacity == 3 and huangpu.opening_hours["1"] == [["09:00", "12:00"], ["13:30", "17:00"]]


def test_slots_follow_the_opening_hours_of_a_working_day(huangpu):
    slots = appointments.slots(huangpu, MONDAY)
    assert [s.key for s in slots][:2] == ["09:00", "09:30"] and slots[-1].key == "16:30"
    assert "12:00" not in {s.key for s in slots} and "13:30" in {s.key for s in slots}  # lunch break
    assert all(s.free == 3 for s in slots)


def test_a_sunday_is_refused_with_a_clear_message(demo, huangpu):
    citizen = demo.users["citizen1"]
    assert appointments.slots(huangpu, SUNDAY) == []
    with translation.override("zh-hans"), pytest.raises(AppointmentRefused) as refused:
        appointments.appointment_book(user=citizen, office=huangpu, day=SUNDAY, start=time(9, 0))
    assert "黄浦区婚姻登记处 2026-12-06（星期日）不办公，只在工作日开放" in str(refused.value.message)
    assert not Appointment.objects.exists()


def test_the_booking_page_says_why_a_sunday_cannot_be_booked(demo, huangpu, client):
    client.force_login(demo.users["citizen1"])
    page = client.get(
        reverse("portal:office", args=["huangpu"]), {"day": "2026-12-06"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 400
    assert "星期日）不办公" in page.content.decode() and 'name="start"' not in page.content.decode()
    posted = client.post(reverse("portal:office", args=["huangpu"]), {"day": "2026-12-06", "start": "09:00"})
    assert posted.status_code == 400 and not Appointment.objects.exists()


def test_public_holidays_close_and_adjusted_weekend_working_days_open(demo, huangpu):
    with time_machine.travel("2026-09-25 10:00 +0800", tick=False):
        with translation.override("zh-hans"):
            assert "法定节假日" in appointments.day_problem(huangpu, date(2026, 10, 1))  # National Day
        assert appointments.day_problem(huangpu, date(2026, 10, 10)) is None  # a Saturday worked (调休)
        assert appointments.slots(huangpu, date(2026, 10, 10))[0].key == "09:00"


def test_booking_fills_a_slot_up_to_its_capacity(demo, huangpu):
    people = [demo.users[n] for n in ("citizen1", "citizen2", "supplier1")]
    for person in people:
        appointments.appointment_book(user=person, office=huangpu, day=MONDAY, start=time(9, 0))
    nine = next(s for s in appointments.slots(huangpu, MONDAY) if s.key == "09:00")
    assert nine.free == 0
    with pytest.raises(AppointmentRefused, match="full|约满"):
        appointments.appointment_book(
            user=demo.users["supplier2"], office=huangpu, day=MONDAY, start=time(9, 0)
        )
    with pytest.raises(AppointmentRefused):  # nobody books twice the same day at one office
        appointments.appointment_book(user=people[0], office=huangpu, day=MONDAY, start=time(10, 0))
    with pytest.raises(AppointmentRefused):  # not a slot
        appointments.appointment_book(
            user=demo.users["supplier2"], office=huangpu, day=MONDAY, start=time(12, 15)
        )


def test_a_citizen_books_and_cancels_and_the_place_is_free_again(
    demo, huangpu, client, django_capture_on_commit_callbacks, mailoutbox
):
    citizen = demo.users["citizen1"]
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:office", args=["huangpu"]), {"day": "2026-12-07", "start": "09:30"}
        )
    assert response.status_code == 302
    booked = Appointment.objects.get(user=citizen)
    assert (booked.date, booked.start, booked.status) == (MONDAY, time(9, 30), AppointmentStatus.BOOKED)
    assert booked.number in client.get(reverse("portal:my_appointments")).content.decode()
    assert any(booked.number in m.body and "http" in m.body for m in mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:appointment_cancel", args=[booked.number]))
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED
    assert next(s for s in appointments.slots(huangpu, MONDAY) if s.key == "09:30").free == 3
    assert Notification.objects.filter(subject_ref=booked.number, topic="appointment:cancelled").exists()


def test_someone_else_cannot_cancel_my_appointment(demo, huangpu, client):
    booked = appointments.appointment_book(
        user=demo.users["citizen1"], office=huangpu, day=MONDAY, start=time(9, 0)
    )
    client.force_login(demo.users["citizen2"])
    assert client.post(reverse("portal:appointment_cancel", args=[booked.number])).status_code == 404
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


def test_reminders_go_once_the_working_day_before(
    demo, huangpu, django_capture_on_commit_callbacks, mailoutbox
):
    monday = appointments.appointment_book(
        user=demo.users["citizen1"], office=huangpu, day=MONDAY, start=time(9, 0)
    )
    later = appointments.appointment_book(
        user=demo.users["citizen2"], office=huangpu, day=date(2026, 12, 9), start=time(9, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert appointments.appointment_reminders_send() == 1  # Friday: Monday is the next working day
        assert appointments.appointment_reminders_send() == 0  # once only
    monday.refresh_from_db(), later.refresh_from_db()
    assert monday.reminded_at is not None and later.reminded_at is None
    assert any("提醒" in m.body and monday.number in m.body for m in mailoutbox)


def test_the_marriage_form_refuses_a_sunday_at_a_weekday_registry(demo, marriage):
    citizen = demo.users["citizen1"]
    application = services.application_start(user=citizen, service=marriage)
    application = services.application_save_form(
        user=citizen, application=application, raw={**MARRIAGE, "preferred_date": "2026-12-13"}
    )
    with translation.override("zh-hans"):
        problems = {p.target: p.message for p in services.application_check(application)}
    assert "星期日）不办公" in problems["field:preferred_date"]
    application = services.application_save_form(
        user=citizen,
        application=application,
        raw={**MARRIAGE, "office": "pudong", "preferred_date": "2026-12-14"},
    )
    assert "field:preferred_date" not in {
        p.target for p in services.application_check(application)
    }  # a Monday
