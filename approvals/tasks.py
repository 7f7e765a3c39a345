"""Celery: the deadline sweep that reminds and escalates (beat runs it; it is idempotent)."""

from celery import shared_task


@shared_task(name="approvals.deadlines_check")
def approval_deadlines_check() -> dict[str, int]:
    from approvals.services import approval_deadlines_check as check

    return check()
