"""The supplier pages render for the people who use them, and refuse the others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suppliers.models import Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """A verified supplier with a licence expiring soon, its administrator, an officer and a stranger
    (built here rather than with the whole demo, so these tests depend on this app alone)."""
    import datetime as dt

    from config import clock
    from suppliers import services
    from tests.suppliers.factories import UserFactory, officer_make, supplier_make

    admin = UserFactory(username="supplier-admin")
    supplier = supplier_make(admin=admin, name="北京中科办公设备有限公司")
    services.qualification_add(
        supplier=supplier,
        by=admin,
        kind="category_licence",
        title="许可证",
        category="办公",
        expires_on=clock.today_local() + dt.timedelta(days=20),
        file=SimpleUploadedFile("l.pdf", b"%PDF"),
    )
    return {
        "admin": admin,
        "supplier": supplier,
        "officer": officer_make(),
        "citizen": UserFactory(username="citizen"),
    }


def test_supplier_admin_pages(client, people):
    client.force_login(people["admin"])
    for name in ("profile", "qualifications", "staff", "certificates"):
        response = client.get(f"/suppliers/{name}/")
        assert response.status_code == 200, name
    page = client.get("/suppliers/qualifications/").content.decode()
    assert "govuk-tag--orange" in page  # the licence expiring soon is marked


def test_registration_refuses_a_bad_credit_code_with_its_reason(client, people):
    client.force_login(people["citizen"])
    data = {
        "name": "新企业",
        "credit_code": "91350100M000100Y44",
        "legal_representative": "甲",
        "address": "上海",
        "size_class": "small",
        "categories": "软件",
        "contact_name": "甲",
        "contact_phone": "13800000000",
        "contact_email": "a@example.com",
    }
    response = client.post("/suppliers/register/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "校验码" in response.content.decode() or "check character" in response.content.decode()
    data["credit_code"] = "91350100M000100Y43"
    response = client.post("/suppliers/register/", data)
    assert response.status_code == 302
    assert (
        Supplier.objects.get(organisation__credit_code="91350100M000100Y43").verification_status == "pending"
    )


def test_officer_queue_and_decision(client, people):
    client.force_login(people["citizen"])
    client.post(
        "/suppliers/register/",
        {
            "name": "新企业",
            "credit_code": "91350100M000100Y43",
            "legal_representative": "甲",
            "address": "上海",
            "size_class": "small",
            "categories": "软件",
            "contact_name": "甲",
            "contact_phone": "13800000000",
            "contact_email": "a@example.com",
        },
    )
    supplier = Supplier.objects.get(organisation__credit_code="91350100M000100Y43")
    client.post(
        "/suppliers/qualifications/",
        {"kind": "business_licence", "title": "营业执照", "file": SimpleUploadedFile("l.pdf", b"%PDF")},
    )
    client.force_login(people["officer"])
    assert "新企业" in client.get("/suppliers/verification/").content.decode()
    assert client.get(f"/suppliers/verification/{supplier.pk}/").status_code == 200
    response = client.post(
        f"/suppliers/verification/{supplier.pk}/", {"decision": "reject", "reason": "材料不全"}
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.verification_status == "rejected" and supplier.verification_reason == "材料不全"
    client.force_login(people["admin"])
    assert client.get("/suppliers/verification/").status_code == 403


def test_public_lookup_shows_status(client, people):
    response = client.get("/suppliers/lookup/", {"q": people["supplier"].credit_code})
    assert response.status_code == 200
    assert "北京中科办公设备有限公司" in response.content.decode()
    assert client.get("/suppliers/crl.der").status_code == 200
