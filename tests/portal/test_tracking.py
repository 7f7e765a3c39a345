"""办件查询 without signing in: by the application number plus the applicant's ID number or phone;
status and dates only; the same answer for an unknown number and a wrong ID; guessing is slowed."""

import re

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEntry
from portal import services
from portal.citizen_models import TrackingFailure
from portal.services import tracking
from portal.services.tracking import TrackingThrottled
from tests.portal.conftest import MARRIAGE, pay

pytestmark = pytest.mark.django_db
URL = "/track/"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-12-04 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def submitted(demo, complete_marriage_application):
    application, citizen = complete_marriage_application, demo.users["citizen1"]
    _payment, body, headers = pay(application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    return services.application_submit(user=citizen, application=application)


def _post(client, reference, identity, address="203.0.113.7"):
    return client.post(
        reverse("portal:track"),
        {"reference": reference, "identity": identity},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def _answer(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_applicant_tracks_by_number_and_id_or_phone_without_signing_in(submitted, client):
    assert reverse("portal:track") == URL
    for identity in (MARRIAGE["male_id"], MARRIAGE["female_id"].lower(), MARRIAGE["phone"]):
        page = _post(client, submitted.reference.lower(), identity).content.decode()
        assert 'id="track-status"' in page and "提交申请" in page
        assert submitted.acceptance_due.isoformat() in page
    # Status and dates only: no name, no ID number, no form, no materials.
    for private in ("王小明", "李小红", MARRIAGE["male_id"], MARRIAGE["phone"], "huangpu", ".pdf"):
        assert private not in page.replace(f'value="{MARRIAGE["phone"]}"', "")


def test_wrong_id_and_unknown_number_get_the_same_answer(submitted, client):
    wrong_id = _post(client, submitted.reference, "310101199001011236")
    unknown = _post(client, "SQ20261204999999", "310101199001011236")
    assert wrong_id.status_code == unknown.status_code == 200
    strip = lambda page: page.replace(submitted.reference, "X").replace("SQ20261204999999", "X")  # noqa: E731
    assert strip(_answer(wrong_id)) == strip(_answer(unknown))
    assert "没有与该办件编号和身份证号码或手机号码相符的办件" in _answer(unknown)


def test_a_draft_cannot_be_tracked(demo, complete_marriage_application, client):
    assert (
        'id="track-status"'
        not in _post(client, complete_marriage_application.reference, MARRIAGE["male_id"]).content.decode()
    )


def test_guessing_one_number_is_slowed_even_for_the_right_id(submitted, client, pinned_clock):
    for guess in ("310101199001011236", "13900000000", "11010519491231002X"):
        _post(client, submitted.reference, guess, address=f"198.51.100.{len(guess)}")
    throttled = _post(client, submitted.reference, MARRIAGE["male_id"], address="192.0.2.1")
    assert throttled.status_code == 429 and "秒后再试" in throttled.content.decode()
    assert 'id="track-status"' not in throttled.content.decode()
    pinned_clock.shift(60)
    assert 'id="track-status"' in _post(client, submitted.reference, MARRIAGE["male_id"]).content.decode()


def test_one_address_trying_many_numbers_is_slowed(submitted, pinned_clock):
    for n in range(tracking.FREE_PER_ADDRESS):
        assert (
            tracking.application_track(reference=f"SQ2026120400000{n}", identity="x", address="192.0.2.9")
            is None
        )
    with pytest.raises(TrackingThrottled):
        tracking.application_track(
            reference=submitted.reference, identity=MARRIAGE["phone"], address="192.0.2.9"
        )
    # The failures keep a keyed hash of the number, never the number.
    assert not TrackingFailure.objects.filter(reference_key__icontains="SQ2026").exists()


def test_every_look_up_is_audited(submitted, client):
    _post(client, submitted.reference, MARRIAGE["phone"])
    _post(client, submitted.reference, "13900000000")
    actions = list(
        AuditEntry.objects.filter(action__startswith="portal.track").values_list("action", flat=True)
    )
    assert sorted(actions) == ["portal.track found", "portal.track not_found"]
