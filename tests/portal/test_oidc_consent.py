"""The OIDC consent page is the site's own (design, Chinese by default, lang attribute), a
first-party client skips it, and the id_token carries the enterprise's name and unified social
credit code only for an enterprise account whose person ticked that scope."""

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from oauth2_provider.models import get_application_model

from portal.sso_client import RelyingParty
from tests.portal.test_oidc import DjangoClientTransport
from tests.portal.test_oidc_clients import authorize_url, make_client
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db
SECRET = "partner-secret-for-tests-only"
REDIRECT = "https://partner.example/cb"


@pytest.fixture
def partner(demo_people):
    application = get_application_model().objects.create(
        name="市公积金中心",
        client_id="partner-gjj",
        client_secret=SECRET,
        client_type=get_application_model().CLIENT_CONFIDENTIAL,
        authorization_grant_type=get_application_model().GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=get_application_model().RS256_ALGORITHM,
        user=demo_people.users["admin"],
    )
    return application


def test_the_consent_page_is_the_sites_own_in_chinese(client, demo_people, partner):
    client.force_login(demo_people.users["citizen1"])
    page = client.get(authorize_url(partner, scope="openid profile enterprise")).content.decode()
    assert '<html lang="zh-CN"' in page and "govuk-header" in page.replace("yz-header", "govuk-header")
    assert "使用一站账号登录市公积金中心" in page and "允许并继续" in page and "不允许" in page
    assert "您的姓名和账号类型" in page and 'id="share-enterprise"' in page
    assert "Authorize" not in page.replace('value="Authorize"', "")


def test_the_consent_page_follows_english_mode(client, demo_people, partner):
    client.force_login(demo_people.users["citizen1"])
    client.cookies["django_language"] = "en"
    page = choose_english(client).get(authorize_url(partner)).content.decode()
    assert '<html lang="en"' in page and "Sign in to 市公积金中心 with Yizhan" in page


def test_a_first_party_client_signs_in_without_the_consent_page(client, demo_people):
    own = make_client(demo_people.users["admin"], first_party=True)
    client.force_login(demo_people.users["citizen1"])
    response = client.get(authorize_url(own))
    assert response.status_code == 302 and "code=" in response["Location"]


def _sign_in(client, settings, *, tick: bool):
    party = RelyingParty(
        issuer="http://testserver/o",
        client_id="partner-gjj",
        client_secret=SECRET,
        redirect_uri=REDIRECT,
        transport=DjangoClientTransport(client),
    )
    login = party.start(scope="openid profile enterprise")
    consent = client.get(login.url)
    fields = {
        m[0]: html.unescape(m[1])
        for m in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', consent.content.decode())
    }
    data = {**fields, "allow": "Authorize", **({"share_enterprise": "on"} if tick else {})}
    response = client.post(consent.request["PATH_INFO"], data)
    query = parse_qs(urlparse(response["Location"]).query)
    return party.finish(code=query["code"][0], returned_state=query["state"][0], start=login)["id_token"]


@pytest.mark.parametrize("tick", [True, False])
def test_the_enterprise_is_in_the_id_token_only_when_the_person_ticks_it(
    client, demo_people, partner, settings, tick
):
    client.force_login(demo_people.users["supplier1"])
    claims = _sign_in(client, settings, tick=tick)
    if tick:
        assert claims["enterprise_name"] == "上海华东信息技术有限公司"
        assert claims["unified_social_credit_code"] == "91310000MA1FL1AB15"
    else:
        assert "enterprise_name" not in claims and "unified_social_credit_code" not in claims
    assert claims["name"] == demo_people.users["supplier1"].full_name


def test_a_citizen_has_no_enterprise_to_release(client, demo_people, partner, settings):
    client.force_login(demo_people.users["citizen1"])
    claims = _sign_in(client, settings, tick=True)
    assert "enterprise_name" not in claims and claims["name"] == "王小明"
