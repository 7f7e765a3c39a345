"""Celery: the daily re-verification of the whole ledger (beat), alerting the administrators."""

from celery import shared_task


@shared_task(name="ledger.verify_daily")
def verify_daily() -> int:
    """Recompute the tree from every entry; mail the administrators when anything fails to verify.
    Returns the number of problems found."""
    from ledger.services import ledger_audit_alert

    return ledger_audit_alert()
