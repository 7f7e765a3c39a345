"""Celery: the yearly warning that next year's holiday schedule is still unknown (beat, daily)."""

from celery import shared_task


@shared_task(name="workdays.year_warning_send")
def year_warning_send() -> bool:
    from config import clock
    from workdays.services import calendar_warning_send

    return calendar_warning_send(today=clock.today_local())
