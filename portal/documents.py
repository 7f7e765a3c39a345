"""The decision document of an application: a signed PDF with a QR code to its verification page
(reports). Its title and wording follow the type of matter (行政许可, 行政确认, 行政给付, 公共服务 …):
a marriage registration is a confirmation, not a licence, so it never reads "准予行政许可". The
letter addresses the applicant in their own terms (a person "你", an enterprise "你单位") and is
Chinese only; the PDF is tagged (PDF/UA-1, reports.pdf.render_pdf) for screen readers."""

from dataclasses import dataclass

from django.utils import timezone, translation

from portal import formschema
from portal.models import Application
from reports.models import SignedDocument
from reports.services import signed_document_issue

# The remedy every unfavourable administrative act must state (行政复议法 第二十条, 行政诉讼法 第四十六条).
REMEDY = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。"
)


@dataclass(frozen=True)
class DocumentWording:
    """How a matter type's decision letter reads: its titles, the sentence that decides, and what
    a refusal tells the applicant to do next."""

    approved_title: str
    refused_title: str
    approved_decision: str  # "…，{decision}。"
    refused_decision: str
    remedy: str
    basis_note: str = ""  # the statute that governs refusals of this type, cited after the remedy


WORDINGS: dict[str, DocumentWording] = {
    "行政许可": DocumentWording(
        approved_title="准予行政许可决定书",
        refused_title="不予行政许可决定书",
        approved_decision="决定准予行政许可",
        refused_decision="决定不予行政许可",
        remedy=REMEDY,
        basis_note="（《中华人民共和国行政许可法》第三十八条）",
    ),
    "行政确认": DocumentWording(
        approved_title="准予登记（确认）通知书",
        refused_title="不予登记（确认）通知书",
        approved_decision="依法予以登记（确认）",
        refused_decision="决定不予登记（确认）",
        remedy=REMEDY,
    ),
    "行政给付": DocumentWording(
        approved_title="给付决定书",
        refused_title="不予给付决定书",
        approved_decision="决定予以给付",
        refused_decision="决定不予给付",
        remedy=REMEDY,
    ),
    "行政备案": DocumentWording(
        approved_title="备案通知书",
        refused_title="不予备案通知书",
        approved_decision="予以备案",
        refused_decision="决定不予备案",
        remedy=REMEDY,
    ),
    "公共服务": DocumentWording(
        approved_title="办理结果告知书",
        refused_title="不予办理告知书",
        approved_decision="已予办理",
        refused_decision="暂不予办理",
        remedy="如对办理结果有异议，可以通过本平台“咨询投诉”或拨打监督电话反映。",
    ),
}
# Any other type of power (其他行政权力, 行政奖励 …): a neutral notice, the remedy still stated.
OTHER = DocumentWording(
    approved_title="办理决定书",
    refused_title="不予办理决定书",
    approved_decision="决定予以办理",
    refused_decision="决定不予办理",
    remedy=REMEDY,
)


def wording_for(matter_type: str) -> DocumentWording:
    return WORDINGS.get(matter_type.strip(), OTHER)


@dataclass(frozen=True)
class Addressee:
    """Whom the letter speaks to: the enterprise an application was made for, or the person."""

    name: str
    you: str  # 你 / 你单位
    is_organisation: bool


def addressee_of(application: Application) -> Addressee:
    if application.organisation_id:
        return Addressee(application.organisation.name, "你单位", True)
    applicant = application.applicant
    return Addressee(applicant.full_name or applicant.username, "你", False)


def decision_title(application: Application) -> str:
    wording = wording_for(application.service.matter_type)
    return wording.approved_title if application.status == "approved" else wording.refused_title


def decision_document_issue(*, application: Application) -> SignedDocument:
    """Issue the decision document and link it to the application (inside the caller's transaction)."""
    approved = application.status == "approved"
    service = application.service
    departments = [service.department, *service.joint_departments.all()]
    wording = wording_for(service.matter_type)
    title = f"{decision_title(application)} · {application.reference}"
    with translation.override("zh-hans"):  # a Chinese document, whoever's request or task issues it
        form_summary = formschema.labelled(service.form_schema, service.form_ui, application.form_data)
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
            "wording": wording,
            "heading": decision_title(application),
            "addressee": addressee_of(application),
            "departments": departments,
            "decided_at": timezone.localtime(application.decided_at),
            "form_summary": form_summary,
        },
    )
    Application.objects.filter(pk=application.pk).update(decision_document=document)
    application.decision_document = document
    return document


def licence_document_issue(*, licence, application: Application) -> SignedDocument:
    """The signed PDF of an electronic licence (电子证照), private to its holder and the departments
    it is shown to (subject "portal.licence:<number>"), verifiable by its QR code."""
    service = application.service
    with translation.override("zh-hans"):
        return signed_document_issue(
            kind="portal-licence",
            title=f"{service.result_name}（电子证照） · {licence.number}",
            template_name="portal/licence_pdf.html",
            subject_ref=f"portal.licence:{licence.number}",
            filename=f"{licence.number}.pdf",
            context={
                "licence": licence,
                "service": service,
                "application": application,
                "holder": addressee_of(application),
                "issued_at": timezone.localtime(licence.issued_at),
                "departments": [service.department, *service.joint_departments.all()],
            },
        )
