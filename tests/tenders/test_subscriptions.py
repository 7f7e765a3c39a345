"""Notice alerts need the address owner's confirmation (double opt-in) and are rate-limited: an
anonymous caller cannot subscribe someone else's mailbox, nor flood it with confirmations."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from rest_framework.test import APIClient

from tenders.models import Subscription

pytestmark = pytest.mark.django_db

URL = "/api/tenders/subscriptions/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # DRF's throttle counts in the cache
    yield
    cache.clear()


def _ask(client, email="victim@example.com", **extra):
    return client.post(URL, {"email": email, "category_prefix": "A02", **extra}, format="json")


def test_anonymous_subscription_waits_for_confirmation_by_post(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(APIClient())
    assert response.status_code == 202 and response.json()["confirmed"] is False
    subscription = Subscription.objects.get(email="victim@example.com")
    assert subscription.confirmed_at is None

    (message,) = mail.outbox
    assert message.to == ["victim@example.com"]
    link = re.search(r"https?://\S+/notices/subscribe/confirm/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # Opening the link (as a mail scanner would) confirms nothing; the page's button does.
    page = client.get("/" + path)
    assert page.status_code == 200 and b'method="post"' in page.content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post("/" + path).status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_pending_subscriptions_get_no_alerts():
    from tenders.selectors import subscriptions_matching

    _ask(APIClient())

    class Tender:
        category_code, region = "A0201", "310000"

    assert not subscriptions_matching(tender=Tender()).exists()


def test_confirmation_mails_to_one_address_are_limited(django_capture_on_commit_callbacks):
    answers = []
    for i in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(_ask(APIClient(), region_prefix=str(i), HTTP_ACCEPT_LANGUAGE="en"))
    assert [a.status_code for a in answers] == [202, 202, 202, 429, 429]
    assert answers[-1].json()["code"] == "subscription_limited"
    assert len(mail.outbox) == 3


def test_one_client_address_is_throttled():
    codes = [_ask(APIClient(), email=f"person{i}@example.com").status_code for i in range(12)]
    assert codes[:10] == [202] * 10 and codes[10:] == [429, 429]


def test_a_signed_in_user_subscribing_their_own_address_is_subscribed_at_once(django_user_model):
    user = django_user_model.objects.create_user(
        username="reader", email="Reader@example.com", password="x" * 12
    )
    client = APIClient()
    client.force_authenticate(user)
    assert _ask(client, email="reader@example.com").status_code == 201
    assert _ask(client, email="someone-else@example.com").status_code == 202
    assert Subscription.objects.get(email="reader@example.com").confirmed_at is not None


def test_unknown_confirmation_token_is_not_found(client):
    assert client.post("/notices/subscribe/confirm/nope/").status_code == 404
