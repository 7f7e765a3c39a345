"""The API: public lookup and certificate status, revocation by the holder, and the schema."""

import pytest
from rest_framework.test import APIClient

from tests.suppliers.factories import UserFactory, enrol, supplier_make

pytestmark = pytest.mark.django_db


def test_status_is_public_and_revocation_shows_in_it():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    _key, certificate = enrol(admin)
    anonymous = APIClient()
    status = anonymous.get(f"/api/suppliers/certificates/{certificate.fingerprint}/status/")
    assert status.status_code == 200 and status.json()["status"] == "valid"
    lookup = anonymous.get("/api/suppliers/lookup/", {"q": supplier.credit_code}).json()
    assert lookup[0]["verification_status"] == "verified" and lookup[0]["debarments"] == []
    assert anonymous.post(f"/api/suppliers/certificates/{certificate.fingerprint}/revoke/").status_code == 401

    holder = APIClient()
    holder.force_authenticate(admin)
    revoked = holder.post(
        f"/api/suppliers/certificates/{certificate.fingerprint}/revoke/", {"reason": "lost"}, format="json"
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = holder.post(f"/api/suppliers/certificates/{certificate.fingerprint}/revoke/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "certificate_revoked"
    assert (
        anonymous.get(f"/api/suppliers/certificates/{certificate.fingerprint}/status/").json()["status"]
        == "revoked"
    )
    der = anonymous.get(f"/api/suppliers/certificates/{certificate.fingerprint}/der/")
    assert der.status_code == 200 and der.content == bytes(certificate.der)


def test_unverified_supplier_gets_a_refusal_with_its_reason():
    admin = UserFactory()
    supplier_make(admin=admin, verified=False)
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post(
        "/api/suppliers/certificates/challenge/",
        {"purpose": "bidder"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "supplier_not_eligible"
