"""Hostile request bodies and parameters get a clear 400/413 in the user's language, never a 500:
every DRF endpoint parses through config/parsers.py (bounded size, bounded JSON depth)."""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ANONYMOUS_POSTS = ["/api/bidding/receipts/verify/", "/api/tenders/subscriptions/"]
SIGNED_IN_POSTS = ["/api/bidding/withdrawals/", "/api/bidding/uploads/", "/api/tenders/"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("url", ANONYMOUS_POSTS)
def test_deeply_nested_json_is_refused_not_a_server_error(url):
    response = APIClient().post(url, data=nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert "32" in response.json()["message"]


@pytest.mark.parametrize("url", SIGNED_IN_POSTS)
def test_deeply_nested_json_from_a_signed_in_user_is_refused(url, django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user(username="nester", password="x" * 12))
    response = client.post(url, data=nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"


def test_nesting_past_the_limit_but_under_recursion_is_refused_too():
    response = APIClient().post(
        "/api/bidding/receipts/verify/",
        data=json.dumps({"a": json.loads(nested(40))}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "json_too_deep"


def test_nesting_message_follows_the_users_language():
    response = APIClient().post(
        "/api/tenders/subscriptions/",
        data=nested(5000),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "层" in response.json()["message"]


@override_settings(API_MAX_JSON_BYTES=64 * 1024)
def test_oversized_json_body_is_refused_with_413():
    body = json.dumps({"receipt": "x" * (65 * 1024)})
    response = APIClient().post("/api/bidding/receipts/verify/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_default_json_limit_refuses_a_64_mib_body():
    body = b'{"receipt":"' + b"x" * (64 * 1024 * 1024) + b'"}'
    response = APIClient().post("/api/bidding/receipts/verify/", data=body, content_type="application/json")
    assert response.status_code == 413


def test_oversized_form_body_is_refused_with_413():
    body = "receipt=" + "x" * (2 * 1024 * 1024)
    response = APIClient().post(
        "/api/bidding/receipts/verify/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_invalid_json_and_nan_are_refused_as_malformed():
    for body in ["{", '{"receipt": NaN}', b"\xff\xfe".decode("latin-1")]:
        response = APIClient().post(
            "/api/bidding/receipts/verify/", data=body, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert response.json()["code"] == "malformed_request"


def test_normal_json_still_works():
    response = APIClient().post(
        "/api/bidding/receipts/verify/", data={"receipt": "not a receipt"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] != "malformed_request"


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999999", "100001"])
def test_absurd_notice_page_is_not_found_not_a_server_error(client, page):
    assert client.get(f"/notices/?page={page}").status_code == 404


def test_last_page_numbers_and_garbage_still_show_a_page(client):
    assert client.get("/notices/?page=100000").status_code == 200
    assert client.get("/notices/?page=abc").status_code == 404


def test_chunk_body_larger_than_one_sb1_chunk_is_refused_unread(django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user(username="chunker", password="x" * 12))
    response = client.put(
        "/api/bidding/uploads/some-bid/files/0/chunks/0/",
        data=b"\0" * (1_048_592 + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
