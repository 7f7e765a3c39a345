"""Time limits are counted in working days: holidays skipped, make-up working days counted."""

import pytest
import time_machine
from django.urls import reverse

from portal import services
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


def test_time_limits_across_national_day_2026(demo, complete_marriage_application):
    citizen, civil = demo.users["citizen1"], demo.users["civil_staff"]
    application = complete_marriage_application
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        _payment, body, headers = pay(application, citizen)
        services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
        services.application_submit(user=citizen, application=application)
        application.refresh_from_db()
        # 5 working days to decide on acceptance: Oct 1–7 are holidays, Sat Oct 10 is a make-up working day.
        # Oct 8, 9, 10, 12, 13.
        assert str(application.acceptance_due) == "2026-10-13"
        services.application_accept(user=civil, application=application)
        application.refresh_from_db()
    # Promised 3 working days: Oct 8, 9 and the make-up Saturday Oct 10.
    assert str(application.promised_due) == "2026-10-10"
    # Legal 20 working days: 8 in October's first two weeks, then 5 a week → Tuesday 3 November.
    assert str(application.decision_due) == "2026-11-03"


def test_the_time_limit_is_shown_to_the_applicant(client, demo, complete_marriage_application):
    citizen, civil = demo.users["citizen1"], demo.users["civil_staff"]
    application = complete_marriage_application
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        _payment, body, headers = pay(application, citizen)
        services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
        services.application_submit(user=citizen, application=application)
        services.application_accept(user=civil, application=application)
    client.force_login(citizen)
    page = client.get(reverse("portal:application", args=[application.reference])).content.decode()
    assert "法定办结时限：20 个工作日（2026-11-03 前）" in page


def test_a_year_without_a_known_schedule_is_refused_not_guessed(demo, complete_marriage_application):
    from tests.conftest import calendar_forget
    from workdays.exceptions import CalendarYearUnknown

    calendar_forget(2027)

    citizen, civil = demo.users["citizen1"], demo.users["civil_staff"]
    application = complete_marriage_application
    with time_machine.travel("2026-12-10 10:00 +0800", tick=False):
        _payment, body, headers = pay(application, citizen)
        services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
        services.application_submit(user=citizen, application=application)
        with pytest.raises(CalendarYearUnknown):
            services.application_accept(user=civil, application=application)
    application.refresh_from_db()
    assert application.status == "submitted"
