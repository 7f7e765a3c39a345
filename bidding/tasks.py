"""Celery: the seal at the deadline (beat runs it every minute; it is idempotent, and the first
request that needs a seal writes it too, so nothing depends on this running on time)."""

from celery import shared_task


@shared_task(name="bidding.seals_due")
def seals_due() -> int:
    from bidding.services.seal import seals_due as seal

    return seal()
