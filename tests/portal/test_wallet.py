"""Electronic licences and reuse (电子证照, 材料复用): an approved marriage registration puts a signed,
verifiable 结婚证 in the holder's wallet; a later application offers it (and files sent before)
instead of an upload, and refuses anyone else's; new drafts start filled from the account."""

import hashlib
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from approvals.services import approval_approve
from portal import services
from portal.models import Application, Attachment, Licence, Service
from portal.services.wallet import attachment_reuse, reuse_offers
from reports.pdf import verify_pdf
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


def _quick_pdf(template_name, context):
    """The template is rendered (so its errors show); the PDF is a small ASCII one, signed for real."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=f"<p>{template_name} {hashlib.sha256(html.encode()).hexdigest()}</p>").write_pdf()


@pytest.fixture(autouse=True)
def _quick_pdfs():
    with mock.patch("reports.services.render_pdf", _quick_pdf):
        yield


@pytest.fixture
def married(demo, complete_marriage_application, django_capture_on_commit_callbacks):
    """citizen1's marriage registration, approved by both departments: its 结婚证 is in the wallet."""
    citizen, application = demo.users["citizen1"], complete_marriage_application
    _payment, body, headers = pay(application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.application_submit(user=citizen, application=application)
    services.application_accept(user=demo.users["civil_staff"], application=application)
    application = Application.objects.get(pk=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        for who in ("civil_staff", "police_staff"):
            approval_approve(instance_id=application.approval_flow_id, user=demo.users[who], comment="同意")
    return Application.objects.get(pk=application.pk)


def test_an_approved_marriage_puts_a_signed_verifiable_licence_in_the_wallet(demo, married, client):
    licence = Licence.objects.get(application=married)
    assert (licence.name, licence.kind, licence.holder) == (
        "结婚证",
        "marriage-certificate",
        married.applicant,
    )
    assert verify_pdf(licence.document.file.open("rb").read()).valid
    assert any("证照夹" in e.message for e in married.events.all())
    client.force_login(demo.users["citizen1"])
    wallet = client.get(reverse("portal:my_licences")).content.decode()
    assert licence.number in wallet and reverse("reports:verify", args=[licence.document.token]) in wallet
    page = client.get(reverse("reports:verify", args=[licence.document.token])).content.decode()
    assert 'data-valid="true"' in page
    assert client.get(reverse("reports:download", args=[licence.document.token])).status_code == 200
    client.force_login(demo.users["citizen2"])
    assert licence.number not in client.get(reverse("portal:my_licences")).content.decode()
    assert client.get(reverse("reports:download", args=[licence.document.token])).status_code == 404


def test_a_second_application_uses_the_wallet_licence_instead_of_an_upload(demo, married, client):
    citizen = demo.users["citizen1"]
    licence = Licence.objects.get(application=married)
    client.force_login(citizen)
    response = client.post(reverse("portal:apply", args=["household-move-spouse"]))
    reference = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = client.get(reverse("portal:application", args=[reference])).content.decode()
    assert f'value="licence:{licence.number}"' in page and 'name="reuse-marriage-cert"' in page
    client.post(
        reverse("portal:application", args=[reference]),
        {"action": "save", "reuse-marriage-cert": f"licence:{licence.number}"},
    )
    application = Application.objects.get(reference=reference)
    attachment = application.attachments.get(material_key="marriage-cert", superseded=False)
    assert attachment.licence == licence and attachment.sha256 == licence.document.sha256
    assert "material:marriage-cert" not in {p.target for p in services.application_check(application)}
    # The handling department's staff may now read the licence attached to their application.
    client.force_login(demo.users["police_staff"])
    assert client.get(reverse("reports:download", args=[licence.document.token])).status_code == 200


def test_nobody_can_attach_someone_elses_licence(demo, married, client):
    licence = Licence.objects.get(application=married)
    other = demo.users["citizen2"]
    application = services.application_start(
        user=other, service=Service.objects.get(code="household-move-spouse")
    )
    assert (
        reuse_offers(application=application, material=application.service.materials.get(key="marriage-cert"))
        == []
    )
    client.force_login(other)
    response = client.post(
        reverse("portal:application", args=[application.reference]),
        {"action": "save", "reuse-marriage-cert": f"licence:{licence.number}"},
    )
    assert "cannot be used" in response.content.decode() or "不能用于" in response.content.decode()
    assert not application.attachments.exists()


def test_a_file_sent_with_an_earlier_application_is_offered_and_reused(demo):
    citizen = demo.users["citizen1"]  # the demo's senior allowance and licence renewal carry their ID card
    application = services.application_start(
        user=citizen, service=Service.objects.get(code="id-card-renewal")
    )
    offers = reuse_offers(application=application, material=application.service.materials.get(key="id-card"))
    assert len(offers) == 1  # the same scan sent twice is offered once
    sent = Attachment.objects.get(pk=int(offers[0].value.split(":")[1]))
    assert sent.application.applicant == citizen and sent.application.status != "draft"
    assert sent.application.reference in offers[0].label and sent.filename in offers[0].label
    attachment = attachment_reuse(
        user=citizen, application=application, material_key="id-card", value=offers[0].value
    )
    assert attachment.reused_from == sent and attachment.sha256 == sent.sha256
    assert "material:id-card" not in {p.target for p in services.application_check(application)}


def test_a_new_draft_is_filled_from_the_account(demo):
    citizen = demo.users["citizen1"]
    draft = services.application_start(user=citizen, service=Service.objects.get(code="id-card-renewal"))
    assert draft.form_data["applicant_name"] == "王小明"
    assert draft.form_data["id_number"] == "310101199001011234"  # from their earlier application


def test_an_enterprise_draft_carries_the_enterprise_name_and_credit_code(demo, client):
    client.force_login(demo.users["supplier1"])
    response = client.post(reverse("portal:apply", args=["enterprise-change"]))
    application = Application.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert application.organisation.name == "上海华东信息技术有限公司"
    assert application.form_data["company_name"] == "上海华东信息技术有限公司"
    assert application.form_data["credit_code"] == "91310000MA1FL1AB15"
