"""Award jobs for the beat scheduler."""

from celery import shared_task


@shared_task(name="awards.deadlines_check")
def deadlines_check() -> dict[str, int]:
    from awards.services import award_deadlines_check

    return award_deadlines_check()
