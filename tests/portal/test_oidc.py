"""Yizhan as an OpenID Connect provider: the demo relying party signs a citizen in end to end
(discovery, authorization code with PKCE and consent, token exchange, id_token verified with the
published JWKS), and refuses tampered tokens."""

import base64
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest

from portal.sso_client import IdTokenInvalid, RelyingParty
from portal.sso_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

pytestmark = pytest.mark.django_db


class DjangoClientTransport:
    """The relying party's HTTP, through Django's test client (the same requests httpx would send)."""

    def __init__(self, client):
        self.client = client

    def get_json(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.json()

    def post_form(self, url, data, auth):
        basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        response = self.client.post(url, data, HTTP_AUTHORIZATION=f"Basic {basic}")
        assert response.status_code == 200, response.content
        return response.json()


def _party(client, settings):
    return RelyingParty(
        issuer="http://testserver/o",
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        redirect_uri=settings.SITE_URL.rstrip("/") + "/sso-demo/callback/",
        transport=DjangoClientTransport(client),
    )


def _authorize(client, login):
    """The person sees the consent page and allows; returns the code and state the provider redirects with."""
    consent = client.get(login.url)
    assert consent.status_code == 200
    fields = {
        m[0]: html.unescape(m[1])
        for m in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', consent.content.decode())
    }
    assert fields["code_challenge_method"] == "S256"
    response = client.post(consent.request["PATH_INFO"], {**fields, "allow": "Authorize"})
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    return query["code"][0], query["state"][0]


def test_an_oidc_login_from_the_test_client_works_end_to_end(client, demo, settings):
    citizen = demo.users["citizen1"]
    client.force_login(citizen)
    party = _party(client, settings)
    login = party.start()
    code, state = _authorize(client, login)
    result = party.finish(code=code, returned_state=state, start=login)
    claims = result["id_token"]
    assert claims["sub"] == str(citizen.pk)
    assert claims["aud"] == DEMO_CLIENT_ID and claims["iss"] == "http://testserver/o"
    # The same account's details reach the other system through userinfo with the access token.
    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {result['access_token']}").json()
    assert userinfo["preferred_username"] == "citizen1" and userinfo["name"] == "王小明"


def test_the_code_cannot_be_exchanged_without_the_pkce_verifier(client, demo, settings):
    client.force_login(demo.users["citizen1"])
    party = _party(client, settings)
    login = party.start()
    code, _state = _authorize(client, login)
    basic = base64.b64encode(f"{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}".encode()).decode()
    response = client.post(
        party.config["token_endpoint"],
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.redirect_uri,
            "code_verifier": "x" * 50,
        },
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 400


def test_a_tampered_id_token_or_wrong_nonce_is_refused(client, demo, settings):
    client.force_login(demo.users["citizen1"])
    party = _party(client, settings)
    login = party.start()
    code, state = _authorize(client, login)
    token = party.transport.post_form(
        party.config["token_endpoint"],
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.redirect_uri,
            "code_verifier": login.code_verifier,
        },
        (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    )["id_token"]
    header, payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "==").replace(b'"citizen1"', b'"citizen2"')
    forged = ".".join([header, base64.urlsafe_b64encode(claims).rstrip(b"=").decode(), signature])
    with pytest.raises(IdTokenInvalid):
        party.verify_id_token(forged, nonce=login.nonce)
    with pytest.raises(IdTokenInvalid):
        party.verify_id_token(token, nonce="another")
    assert party.verify_id_token(token, nonce=login.nonce)["sub"] == str(demo.users["citizen1"].pk)
