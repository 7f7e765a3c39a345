"""Publication no longer blocks silently on the key custodians: the editor lists a custodian's
missing signing certificate, opening key or confirmation among the things to do; the officer's page
of a tender in approval says what publication waits for and links the opening room; each custodian
has a checklist for the tender and is mailed when named."""

import pytest
import time_machine
from django.core import mail
from django.test import Client

from tenders import services
from tests.suppliers.factories import custodian_certificate, opening_keys_ready
from tests.tenders.factories import at, make_tender

pytestmark = pytest.mark.django_db

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture
def now():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


def _english(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def _rules(html: str) -> list[str]:
    import re

    return re.findall(r'data-rule="([a-z_]+)"', html)


def test_the_editor_lists_what_each_custodian_still_lacks(demo, now):
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    officer = _english(demo.users["officer"])
    page = officer.get(f"/tenders/{tender.pk}/").content.decode()
    assert _rules(page).count("custodian_certificate_missing") == 3
    assert "Custodian 1 (" in page and "has no signing certificate yet" in page
    assert "Ready" not in page  # the "can be submitted" banner no longer hides them
    assert "Before publication (3 to do)" in page
    assert "can be submitted for approval now" in page  # the method's rules are all met

    custodian_certificate(demo.users["custodian1"])
    page = officer.get(f"/tenders/{tender.pk}/").content.decode()
    assert _rules(page).count("custodian_certificate_missing") == 2
    assert _rules(page).count("custodian_key_missing") == 1

    opening_keys_ready(tender)
    page = officer.get(f"/tenders/{tender.pk}/").content.decode()
    assert not [r for r in _rules(page) if r.startswith("custodian_")]
    assert "Ready" in page


def test_a_tender_in_approval_shows_what_publication_waits_for_with_the_room(demo, now):
    from tenders.approval import tender_flow_ensure

    tender_flow_ensure()
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
    page = _english(demo.users["officer"]).get(f"/tenders/{tender.pk}/").content.decode()
    assert "What publication waits for" in page
    assert "The approvers&#x27; decision" in page or "The approvers' decision" in page
    assert _rules(page).count("custodian_certificate_missing") == 3
    assert f'href="/opening/{tender.reference}/"' in page
    opening_keys_ready(tender)
    page = _english(demo.users["officer"]).get(f"/tenders/{tender.pk}/").content.decode()
    assert "Every key custodian has registered an opening key and confirmed." in page


def test_custodians_are_mailed_when_named_and_get_a_checklist(
    demo, now, django_capture_on_commit_callbacks, monkeypatch
):
    from config.celery import app

    # Tasks run in this process even when REDIS_URL names a broker (the PostgreSQL/Redis pass).
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE, custodians=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_custodians_set(
            tender_id=tender.pk,
            by=demo.users["officer"],
            users=[demo.users["custodian1"], demo.users["custodian2"], demo.users["custodian3"]],
        )
    # Only the newly named custodian is told; the link leads to its checklist.
    assert [m.to for m in mail.outbox] == [[demo.users["custodian3"].email]]
    assert f"/suppliers/custodian-keys/{tender.reference}/" in mail.outbox[0].body
    assert tender.reference in mail.outbox[0].subject

    custodian = _english(demo.users["custodian3"])
    page = custodian.get(f"/suppliers/custodian-keys/{tender.reference}/").content.decode()
    checklist = page.split('id="custodian-checklist"', 1)[1].split("</ul>", 1)[0]
    assert checklist.count("To do") == 1 and checklist.count("Cannot start yet") == 2
    custodian_certificate(demo.users["custodian3"])
    page = custodian.get(f"/suppliers/custodian-keys/{tender.reference}/").content.decode()
    checklist = page.split('id="custodian-checklist"', 1)[1].split("</ul>", 1)[0]
    assert checklist.count("Done") == 1 and checklist.count("To do") == 1
