"""Decision documents follow the matter type: a marriage registration (行政确认) is not a
"准予行政许可决定书"; the letter speaks to a person as 你 and to an enterprise as 你单位; no English
line on a Chinese document; the PDF is tagged (PDF/UA-1, a structure tree) for screen readers."""

from io import BytesIO
from unittest import mock

import pytest
from django.template.loader import render_to_string
from pyhanko.pdf_utils.reader import PdfFileReader

from approvals.services import approval_approve
from portal import services
from portal.documents import addressee_of, wording_for
from portal.models import Application
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered():
    """(template, HTML) of each issued document (the PDF itself is made for real)."""
    import reports.services

    pages = []
    real = reports.services.render_pdf

    def capture(template_name, context):
        pages.append((template_name, render_to_string(template_name, context)))
        return real(template_name, context)

    with mock.patch("reports.services.render_pdf", capture):
        yield pages


def _approve(demo, application, django_capture_on_commit_callbacks):
    citizen = application.applicant
    if application.service.fee_total:
        _payment, body, headers = pay(application, citizen)
        services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.application_submit(user=citizen, application=application)
    services.application_accept(user=demo.users["civil_staff"], application=application)
    application = Application.objects.get(pk=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for who in ("civil_staff", "police_staff"):
            approval_approve(instance_id=application.approval_flow_id, user=demo.users[who], comment="同意")
    return Application.objects.get(pk=application.pk)


def test_a_marriage_registration_gets_a_confirmation_in_plain_chinese_as_a_tagged_pdf(
    demo, complete_marriage_application, rendered, django_capture_on_commit_callbacks
):
    application = _approve(demo, complete_marriage_application, django_capture_on_commit_callbacks)
    assert application.service.matter_type == "行政确认"
    document = application.decision_document
    assert document.title.startswith("准予登记（确认）通知书")
    html = next(page for name, page in rendered if name == "portal/decision_pdf.html")
    assert "行政许可" not in html and "准予登记（确认）通知书" in html and "依法予以登记（确认）" in html
    assert "王小明：" in html and "你于" in html and "你（单位）" not in html
    assert 'lang="zh-Hans"' in html and "Signed electronically" not in html
    assert not [line for line in html.splitlines() if line.strip().isascii() and line.strip().isalpha()]
    pdf = PdfFileReader(BytesIO(document.file.open("rb").read()))
    assert "/StructTreeRoot" in pdf.root and bool(pdf.root["/MarkInfo"]["/Marked"])
    assert str(pdf.root["/Lang"]) == "zh-Hans"
    # The 结婚证 it issued into the wallet is a tagged PDF too.
    licence = PdfFileReader(BytesIO(application.licence_issued.document.file.open("rb").read()))
    assert "/StructTreeRoot" in licence.root


@pytest.mark.parametrize(
    ("matter_type", "approved", "refused"),
    [
        ("行政许可", "准予行政许可决定书", "不予行政许可决定书"),
        ("行政确认", "准予登记（确认）通知书", "不予登记（确认）通知书"),
        ("行政给付", "给付决定书", "不予给付决定书"),
        ("公共服务", "办理结果告知书", "不予办理告知书"),
        ("其他行政权力", "办理决定书", "不予办理决定书"),
    ],
)
def test_each_matter_type_has_its_own_titles(matter_type, approved, refused):
    wording = wording_for(matter_type)
    assert (wording.approved_title, wording.refused_title) == (approved, refused)
    assert ("行政许可" in wording.approved_decision) == (matter_type == "行政许可")


def test_an_enterprise_is_addressed_as_your_unit_and_a_person_as_you(demo, marriage):
    from accounts.models import Organisation

    enterprise = Organisation.objects.filter(kind="supplier").first()
    person = Application(service=marriage, applicant=demo.users["citizen1"])
    company = Application(service=marriage, applicant=demo.users["supplier1"], organisation=enterprise)
    assert (addressee_of(person).name, addressee_of(person).you) == ("王小明", "你")
    assert (addressee_of(company).name, addressee_of(company).you) == (enterprise.name, "你单位")
