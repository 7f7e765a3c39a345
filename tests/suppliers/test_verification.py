"""Verification goes through the approvals engine: registering starts it, the officer's decision
there sets the supplier's status (with the reason), and the decision is in the ledger."""

import pytest

from approvals.services import approval_approve, approval_reject
from ledger.models import LedgerEntry
from suppliers import services
from suppliers.approvals import verification_instance
from suppliers.constants import VerificationStatus
from suppliers.exceptions import InvalidCreditCode, SupplierAlreadyRegistered
from tests.suppliers.factories import UserFactory, credit_code_make, officer_make

pytestmark = pytest.mark.django_db


def _register(admin, code=None):
    return services.supplier_register(
        user=admin,
        name="杭州测试科技有限公司",
        credit_code=code or credit_code_make(),
        legal_representative="赵六",
        address="杭州市",
        size_class="micro",
        categories=["软件"],
        contact_name="赵六",
        contact_phone="13900000000",
        contact_email="z@example.com",
    )


def test_registration_goes_through_approval_and_rejection_reason_reaches_the_supplier():
    officer = officer_make()
    admin = UserFactory()
    supplier = _register(admin)
    assert supplier.verification_status == VerificationStatus.PENDING
    instance = verification_instance(supplier)
    assert instance is not None
    approval_reject(instance_id=instance.pk, user=officer, reason="营业执照扫描件不清晰")
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.REJECTED
    assert supplier.verification_reason == "营业执照扫描件不清晰"
    assert supplier.verification_decided_by == officer

    services.supplier_resubmit(supplier=supplier, by=admin)
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.PENDING
    approval_approve(instance_id=verification_instance(supplier).pk, user=officer)
    supplier.refresh_from_db()
    assert supplier.verification_status == VerificationStatus.VERIFIED
    statuses = [
        e.document["payload"]["status"]
        for e in LedgerEntry.objects.filter(kind="suppliers/verification").order_by("index")
        if e.document["payload"]["supplier"] == supplier.credit_code
    ]
    assert statuses == ["rejected", "verified"]


def test_bad_or_taken_credit_code_is_refused():
    officer_make()
    admin = UserFactory()
    with pytest.raises(InvalidCreditCode, match="check character"):
        _register(admin, code="91350100M000100Y44")
    _register(admin, code="91350100M000100Y43")
    with pytest.raises(SupplierAlreadyRegistered):
        _register(UserFactory(), code="91350100m000100y43")  # lower case is normalised, then found taken
