"""The whole path at service level: correction requested at once, corrected, accepted, two
departments approve in parallel, the signed decision document verifies and a changed copy does not."""

import pytest
from django.urls import reverse

from approvals.services import approval_approve, approval_reject
from portal import services
from portal.models import Application
from reports.pdf import verify_pdf
from tests.portal.conftest import pay, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(demo, complete_marriage_application):
    citizen, civil = demo.users["citizen1"], demo.users["civil_staff"]
    application = complete_marriage_application
    _payment, body, headers = pay(application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    services.application_submit(user=citizen, application=application)
    services.application_request_correction(
        user=civil,
        application=application,
        items=[
            {"target": "material:photo", "label": "合影照片", "problem": "照片不清晰"},
            {"target": "material:male-household", "label": "男方户口簿", "problem": "缺少本人页"},
        ],
    )
    application.refresh_from_db()
    assert application.status == "correction"
    # Resubmitting without replacing the named files is refused, listing both at once.
    problems = services.application_check(application)
    assert {p.target for p in problems} == {"material:photo", "material:male-household"}
    for key in ("photo", "male-household"):
        services.attachment_add(user=citizen, application=application, material_key=key, upload=upload())
    services.application_submit(user=citizen, application=application)
    services.application_accept(user=civil, application=application)
    return Application.objects.get(pk=application.pk)


def test_two_departments_approve_and_the_decision_document_verifies(
    demo, accepted, client, django_capture_on_commit_callbacks
):
    assert accepted.status == "in_review"
    approval_approve(
        instance_id=accepted.approval_flow_id, user=demo.users["civil_staff"], comment="材料齐全"
    )
    assert Application.objects.get(pk=accepted.pk).status == "in_review"  # the police step is still open
    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(
            instance_id=accepted.approval_flow_id, user=demo.users["police_staff"], comment="户籍核验通过"
        )
    application = Application.objects.get(pk=accepted.pk)
    assert application.status == "approved"
    document = application.decision_document
    assert document is not None
    data = document.file.open("rb").read()
    check = verify_pdf(data)
    assert check.valid and check.sha256 == document.sha256
    # The public page says so; a copy changed after signing does not verify.
    page = client.get(reverse("reports:verify", args=[document.token])).content.decode()
    assert 'data-valid="true"' in page
    tampered = data + b"\n% appended\n"
    response = client.post(reverse("reports:verify", args=[document.token]), {"copy": upload_bytes(tampered)})
    assert (
        "NOT the registered document" in response.content.decode()
        or "不是登记的文件" in response.content.decode()
    )
    texts = [e.message for e in application.events.all()]
    assert any("一次性告知" in t for t in texts) and any("依法予以登记（确认）" in t for t in texts)


def test_a_refusal_gives_reasons_in_writing(demo, accepted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approval_reject(
            instance_id=accepted.approval_flow_id,
            user=demo.users["police_staff"],
            reason="男方户籍信息与身份证不一致",
        )
    application = Application.objects.get(pk=accepted.pk)
    assert application.status == "refused"
    assert application.decision_reasons == "男方户籍信息与身份证不一致"
    assert verify_pdf(application.decision_document.file.open("rb").read()).valid


def upload_bytes(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("copy.pdf", data, content_type="application/pdf")
