"""The decision document (准予/不予行政许可决定书) of an application: a signed PDF with a QR code
to its public verification page (reports)."""

from django.utils import timezone

from portal import formschema
from portal.models import Application
from reports.models import SignedDocument
from reports.services import signed_document_issue


def decision_document_issue(*, application: Application) -> SignedDocument:
    """Issue the decision document and link it to the application (inside the caller's transaction)."""
    approved = application.status == "approved"
    service = application.service
    departments = [service.department, *service.joint_departments.all()]
    title = f"{'准予' if approved else '不予'}行政许可决定书 · {application.reference}"
    document = signed_document_issue(
        kind="portal-decision",
        title=title,
        template_name="portal/decision_pdf.html",
        subject_ref=f"portal.application:{application.reference}",
        filename=f"{application.reference}.pdf",
        context={
            "application": application,
            "service": service,
            "approved": approved,
            "departments": departments,
            "decided_at": timezone.localtime(application.decided_at),
            "form_summary": formschema.labelled(service.form_schema, service.form_ui, application.form_data),
            "applicant": application.applicant,
        },
    )
    Application.objects.filter(pk=application.pk).update(decision_document=document)
    application.decision_document = document
    return document
