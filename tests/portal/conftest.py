import pytest
from django.core.files.base import ContentFile

from portal import services
from portal.models import Service

PDF = b"%PDF-1.4\n%test scan\n%%EOF\n"

MARRIAGE = {
    "male_name": "王小明",
    "male_id": "310101199001011234",
    "female_name": "李小红",
    "female_id": "310104199203045626",
    "phone": "13800138000",
    "office": "huangpu",
    "preferred_date": "2026-12-08",
    "declaration": "on",
}


def upload(name: str = "scan.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


@pytest.fixture
def marriage(demo) -> Service:
    return Service.objects.get(code="marriage-registration")


@pytest.fixture
def complete_marriage_application(demo, marriage):
    """A marriage registration with the form filled and every required material attached, not submitted."""
    citizen = demo.users["citizen1"]
    application = services.application_start(user=citizen, service=marriage)
    services.application_save_form(user=citizen, application=application, raw=MARRIAGE)
    for material in marriage.materials.filter(required=True):
        services.attachment_add(
            user=citizen, application=application, material_key=material.key, upload=upload()
        )
    return application


def pay(application, user):
    from portal.payments.sandbox import SIGNATURE_HEADER, SandboxProvider, sign

    payment = services.payment_start(user=user, application=application)
    body = SandboxProvider().notification_body(
        order_id=payment.order_id, amount=payment.amount, succeeded=True
    )
    return payment, body, {SIGNATURE_HEADER: sign(body)}
