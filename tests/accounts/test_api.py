import pytest
from django_otp.oath import TOTP

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

pytestmark = pytest.mark.django_db


def test_token_then_me(client, demo_people):
    response = client.post(
        "/api/accounts/token/",
        {
            "username": "officer",
            "password": DEMO_PASSWORD,
            "otp": f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/accounts/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "officer"
    assert me.json()["memberships"][0]["role"] == "procurement_officer"


def test_bad_token_gets_a_clear_error(client, demo_people):
    response = client.get(
        "/api/accounts/me/", HTTP_AUTHORIZATION="Bearer not-a-token", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["message"]


def test_malformed_json_is_a_400_with_code(client, demo_people):
    response = client.post("/api/accounts/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_wrong_password_on_the_api_is_refused_in_chinese(client, demo_people):
    response = client.post(
        "/api/accounts/token/", {"username": "officer", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"code": "bad_credentials", "message": "用户名或密码错误。"}
