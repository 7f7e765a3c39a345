"""What the ledger serves is checked as it is served: an entry changed in the database after it was
appended is reported (API: intact=false with the problem; page: a warning), never served as good;
and a daily beat job re-verifies the whole ledger and mails the administrators."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from rest_framework.test import APIClient

from accounts.constants import Role
from accounts.models import Membership, Organisation, User
from ledger.services import ledger_append_many, tree_head_signed
from ledger.tasks import verify_daily
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_with_a_changed_entry():
    with transaction.atomic():
        ledger_append_many(items=[("test/event", {"n": i}) for i in range(8)])
    tree_head_signed()
    with connection.cursor() as cursor:
        cursor.execute('SELECT canonical FROM ledger_ledgerentry WHERE "index" = 5')
        canonical = bytes(cursor.fetchone()[0])
        cursor.execute(
            'UPDATE ledger_ledgerentry SET canonical = %s WHERE "index" = 5',
            [canonical.replace(b'"n":5', b'"n":6')],
        )
    return 5


def test_api_reports_a_changed_entry_and_vouches_for_the_others(ledger_with_a_changed_entry):
    api = APIClient()
    changed = api.get("/api/ledger/entries/5/").json()
    assert changed["intact"] is False
    assert any("entry 5" in p for p in changed["problems"])
    good = api.get("/api/ledger/entries/4/").json()
    assert good["intact"] is True and good["problems"] == []

    listing = api.get("/api/ledger/entries/").json()["results"]
    assert {e["index"]: e["intact"] for e in listing} == {i: i != 5 for i in range(8)}
    ranged = api.get("/api/ledger/entries/range/?start=0&end=8").json()["entries"]
    assert [e["intact"] for e in ranged] == [i != 5 for i in range(8)]


def test_ledger_page_warns_about_a_changed_entry(client, ledger_with_a_changed_entry):
    page = client.get("/ledger/").content.decode()
    assert "已被改动" in page
    page = choose_english(client).get("/ledger/").content.decode()
    assert "Entries 5 no longer match" in page and "Altered" in page


def test_intact_ledger_page_has_no_warning(client):
    with transaction.atomic():
        ledger_append_many(items=[("test/event", {"n": 1})])
    page = client.get("/ledger/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no longer match" not in page and "Altered" not in page


def test_daily_job_is_scheduled_and_alerts_administrators(ledger_with_a_changed_entry):
    assert settings.CELERY_BEAT_SCHEDULE["ledger-verify"]["task"] == "ledger.verify_daily"
    admin = User.objects.create_user(username="platform-admin", email="admin@example.com", password="x" * 12)
    Membership.objects.create(
        user=admin,
        organisation=Organisation.objects.create(name="平台运营", kind="platform"),
        role=Role.PLATFORM_ADMIN,
    )
    User.objects.create_user(username="citizen", email="citizen@example.com", password="x" * 12)
    mail.outbox.clear()
    assert verify_daily.delay().get() > 0
    (alert,) = mail.outbox
    assert alert.to == ["admin@example.com"]
    assert "entry 5" in alert.body


def test_daily_job_is_silent_on_an_intact_ledger():
    with transaction.atomic():
        ledger_append_many(items=[("test/event", {"n": i}) for i in range(3)])
    User.objects.create_superuser(username="root", email="root@example.com", password="x" * 12)
    mail.outbox.clear()
    assert verify_daily.delay().get() == 0
    assert mail.outbox == []
