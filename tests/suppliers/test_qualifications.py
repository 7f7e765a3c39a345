"""Qualification documents: digest, expiry markers and the daily reminder (sent once per expiry)."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from config import clock
from suppliers import services
from suppliers.exceptions import NotSupplierAdmin, QualificationInvalid
from suppliers.selectors import qualification_expiry
from suppliers.tasks import qualification_reminders_send
from tests.suppliers.factories import UserFactory, supplier_make

pytestmark = pytest.mark.django_db


def _add(supplier, admin, days, kind="category_licence", category="办公设备"):
    return services.qualification_add(
        supplier=supplier,
        by=admin,
        kind=kind,
        title="许可证",
        category=category,
        expires_on=clock.today_local() + dt.timedelta(days=days) if days is not None else None,
        file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence " + str(days).encode()),
    )


def test_document_digest_and_expiry_states():
    admin = UserFactory(email="admin@example.com")
    supplier = supplier_make(admin=admin)
    soon = _add(supplier, admin, 10)
    assert soon.sha256 == hashlib.sha256(b"%PDF-1.4 licence 10").hexdigest()
    today = clock.today_local()
    assert qualification_expiry(soon, today).state == "expiring"
    assert qualification_expiry(soon, today).days_left == 10
    assert qualification_expiry(_add(supplier, admin, 90), today).state == "valid"
    assert qualification_expiry(_add(supplier, admin, None, kind="business_licence"), today).state == "valid"
    assert qualification_expiry(soon, today + dt.timedelta(days=11)).state == "expired"


def test_category_licence_needs_category_and_only_admin_uploads():
    admin = UserFactory()
    supplier = supplier_make(admin=admin)
    with pytest.raises(QualificationInvalid):
        _add(supplier, admin, 10, category="")
    with pytest.raises(NotSupplierAdmin):
        _add(supplier, UserFactory(), 10)


def test_reminder_goes_out_once_per_expiry_date():
    admin = UserFactory(email="admin@example.com")
    supplier = supplier_make(admin=admin)
    soon = _add(supplier, admin, 10)
    _add(supplier, admin, 200)  # far away: no reminder
    mail.outbox.clear()
    assert qualification_reminders_send() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@example.com"]
    assert "10" in mail.outbox[0].subject
    assert qualification_reminders_send() == 0  # the same day again
    with time_machine.travel(clock.now() + dt.timedelta(days=3)):
        assert qualification_reminders_send() == 0  # still the same expiry date
    # Renewed: a new expiry date is a new reminder when it comes near.
    soon.expires_on = clock.today_local() + dt.timedelta(days=5)
    soon.save(update_fields=["expires_on"])
    assert qualification_reminders_send() == 1
    assert len(mail.outbox) == 2
