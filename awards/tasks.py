"""Award jobs for the beat scheduler."""

from celery import shared_task


@shared_task(name="awards.deadlines_check")
def deadlines_check() -> dict[str, int]:
    from awards.services import award_deadlines_check

    return award_deadlines_check()


@shared_task(name="awards.contract_signing_reminders")
def contract_signing_reminders() -> dict[str, int]:
    """Contracts due to be signed within 5 days reminded, overdue ones reported (once each)."""
    from awards.services.contracts import contract_signing_reminders as remind

    return remind()
