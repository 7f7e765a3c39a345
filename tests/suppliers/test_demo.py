import pytest

from suppliers.constants import VerificationStatus
from suppliers.models import Qualification, Supplier
from suppliers.selectors import qualification_expiry, supplier_is_eligible


@pytest.mark.django_db
def test_demo_suppliers_are_verified_with_qualifications_and_one_expiring(demo):
    from accounts.management.commands.load_demo import demo_build
    from config import clock

    demo_build()  # twice: nothing changes
    suppliers = Supplier.objects.all()
    assert suppliers.count() == 3
    assert all(s.verification_status == VerificationStatus.VERIFIED for s in suppliers)
    assert all(supplier_is_eligible(s, clock.now()) for s in suppliers)
    assert Qualification.objects.count() == 6
    states = [qualification_expiry(q, clock.today_local()).state for q in Qualification.objects.all()]
    assert states.count("expiring") == 1
