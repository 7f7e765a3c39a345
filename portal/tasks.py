"""Background work of the portal: issuing the decision document once a decision is committed."""

from celery import shared_task


@shared_task(name="portal.decision_document_issue")
def decision_document_issue_task(application_id: int) -> str | None:
    """Render, sign and attach the decision document; does nothing when it already exists."""
    from portal.services import decision_document_attach

    return decision_document_attach(application_id=application_id)
