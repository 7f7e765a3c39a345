"""Celery: the seal at the deadline (beat runs it every minute; it is idempotent, and the first
request that needs a seal writes it too, so nothing depends on this running on time)."""

from celery import shared_task


@shared_task(name="bidding.seals_due")
def seals_due() -> int:
    from bidding.services.seal import seals_due as seal

    return seal()


# --- the opening ceremony (bidding.services.ceremony / opening) ---


@shared_task(name="bidding.ceremony_tick", ignore_result=True)
def ceremony_tick() -> int:
    """Move every running ceremony along the clock (beat, every few seconds). Idempotent."""
    from bidding.services.ceremony import ceremony_tick as tick

    return tick()


@shared_task(
    name="bidding.bid_open",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def bid_open_task(opening_id: int) -> str:
    """Open one bid once the share window has closed. Idempotent: a bid already processed is left as it
    is, and a worker killed mid-way recorded nothing, so the message being delivered again (acks_late)
    or the tick queueing it again opens it exactly once."""
    from bidding.services.opening import bid_opening_run

    return bid_opening_run(opening_id=opening_id).state


@shared_task(
    name="bidding.opening_record_issue", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def opening_record_issue_task(room_id: int) -> None:
    """Render, sign and publish the opening record once the ceremony closed. Idempotent."""
    from bidding.services.opening import opening_record_issue

    opening_record_issue(room_id=room_id)
