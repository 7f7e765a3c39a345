"""OIDC clients: only administrators register them; consent is skipped only for clients an
administrator marked first-party, never because the client asked."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

pytestmark = pytest.mark.django_db
Application = get_application_model()
EVIL = "https://evil.example/cb"


def make_client(admin, *, first_party: bool, redirect_uri: str = "https://partner.example/cb"):
    return Application.objects.create(
        name="partner",
        client_id=f"partner-{first_party}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        user=admin,
        skip_authorization=first_party,
    )


def authorize_url(application, **extra):
    query = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": application.redirect_uris,
        "scope": "openid profile",
        "state": "s",
        "nonce": "n",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        **extra,
    }
    return f"/o/authorize/?{urlencode(query)}"


def test_a_citizen_cannot_register_a_client(client, demo_people):
    client.force_login(demo_people.users["citizen1"])
    assert client.get("/o/applications/register/").status_code == 403
    response = client.post(
        "/o/applications/register/",
        {
            "name": "一站 官方客户端",
            "client_id": "fake-official",
            "client_type": "confidential",
            "authorization_grant_type": "authorization-code",
            "redirect_uris": EVIL,
            "algorithm": "RS256",
        },
    )
    assert response.status_code == 403
    assert not Application.objects.filter(redirect_uris=EVIL).exists()
    assert client.get("/o/applications/").status_code == 403


def test_anonymous_is_sent_to_sign_in_and_an_administrator_may_register(client, demo_people):
    assert client.get("/o/applications/register/")["Location"].startswith("/accounts/login/")
    client.force_login(demo_people.users["admin"])
    assert client.get("/o/applications/register/").status_code == 200


def test_a_client_cannot_skip_consent_by_asking(client, demo_people):
    citizen = demo_people.users["citizen1"]
    partner = make_client(demo_people.users["admin"], first_party=False)
    # She allowed this client before: a live token exists.
    get_access_token_model().objects.create(
        user=citizen,
        application=partner,
        token="earlier-token",
        expires=timezone.now() + timedelta(hours=1),
        scope="openid profile",
    )
    client.force_login(citizen)
    response = client.get(authorize_url(partner, approval_prompt="auto"))
    assert response.status_code == 200  # the consent page, not a redirect carrying a code
    assert "partner" in response.content.decode()


def test_a_first_party_client_marked_by_the_administrator_skips_consent(client, demo_people):
    own = make_client(demo_people.users["admin"], first_party=True)
    client.force_login(demo_people.users["citizen1"])
    response = client.get(authorize_url(own))
    assert response.status_code == 302
    assert response["Location"].startswith("https://partner.example/cb?code=")
