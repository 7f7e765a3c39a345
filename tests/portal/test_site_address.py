"""The site's address comes from the request (issue #20): mail links are absolute and name the
address the person used, SITE_URL only where no request exists; confirmations by POST only; the
SSO demo and the decision letter's QR code work on another port (config/site.py)."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from config.site import absolute_url, site_address, site_url
from portal.models import Application, Subscription

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8123"  # not the default SITE_URL's port
SITE = f"http://{HOST}"


def _links(message) -> list[str]:
    """Every link-looking word of a mail: full addresses and anything that starts with a slash."""
    return re.findall(r"(?:https?://\S+|(?<![\w:/])/[\w\-/.?=&%]+)", message.body)


def _assert_absolute_on(message, site: str) -> list[str]:
    links = _links(message)
    assert links, message.body
    assert all(link.startswith(site + "/") for link in links), links
    return links


def test_without_a_request_the_address_is_site_url():
    assert site_url() == settings.SITE_URL.rstrip("/")
    assert absolute_url("/notices/") == settings.SITE_URL.rstrip("/") + "/notices/"
    with site_address(SITE):
        assert absolute_url("notices/") == f"{SITE}/notices/"


def test_portal_subscription_mail_links_are_absolute_and_confirming_takes_a_post(
    client, demo, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:subscribe"), {"email": "reader@example.com", "topic": ""}, HTTP_HOST=HOST)
    (message,) = [m for m in mail.outbox if m.to == ["reader@example.com"]]
    confirm = next(link for link in _assert_absolute_on(message, SITE) if "/confirm/" in link)
    subscription = Subscription.objects.get(email="reader@example.com")

    path = urlparse(confirm).path
    page = client.get(path, HTTP_HOST=HOST)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and 'id="confirm-subscription"' in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    assert client.post(path, HTTP_HOST=HOST).status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_notice_subscription_mail_links_are_absolute_and_confirming_takes_a_post(
    client, demo, django_capture_on_commit_callbacks
):
    from tenders.models import Subscription as NoticeSubscription

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:subscribe"), {"email": "alerts@example.com"}, HTTP_HOST=HOST)
    (message,) = [m for m in mail.outbox if m.to == ["alerts@example.com"]]
    confirm = next(link for link in _assert_absolute_on(message, SITE) if "/confirm/" in link)
    client.get(urlparse(confirm).path, HTTP_HOST=HOST)
    assert NoticeSubscription.objects.get(email="alerts@example.com").confirmed_at is None
    client.post(urlparse(confirm).path, HTTP_HOST=HOST)
    assert NoticeSubscription.objects.get(email="alerts@example.com").confirmed_at is not None


def test_article_mail_links_are_absolute(demo, django_capture_on_commit_callbacks):
    from portal import services
    from portal.models import Article

    subscription = services.subscription_create(email="news@example.com", topic=None, kind="news")
    services.subscription_confirm(token=subscription.token)
    article = Article.objects.filter(kind="news").first()
    mail.outbox.clear()
    with site_address(SITE), django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article)
    messages = [m for m in mail.outbox if m.to == ["news@example.com"] and article.name in m.subject]
    assert messages
    _assert_absolute_on(messages[0], SITE)


class _TestClientTransport:
    """The relying party's HTTP, through Django's test client at the same host and port."""

    def __init__(self, client):
        self.client = client

    def get_json(self, url):
        response = self.client.get(urlparse(url).path, HTTP_HOST=urlparse(url).netloc)
        assert response.status_code == 200, (url, response.status_code)
        return response.json()

    def post_form(self, url, data, auth):
        import base64

        basic = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        response = self.client.post(
            urlparse(url).path, data, HTTP_HOST=urlparse(url).netloc, HTTP_AUTHORIZATION=f"Basic {basic}"
        )
        assert response.status_code == 200, response.content
        return response.json()


def test_the_sso_demo_signs_in_on_another_port(client, demo, monkeypatch):
    import html

    from portal import sso_demo

    monkeypatch.setattr(sso_demo, "HttpxTransport", lambda: _TestClientTransport(client))
    client.force_login(demo.users["citizen1"])
    start = client.post(reverse("portal:sso_demo"), HTTP_HOST=HOST)
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == SITE
    assert parse_qs(authorize.query)["redirect_uri"] == [f"{SITE}/sso-demo/callback/"]

    answer = client.get(f"{authorize.path}?{authorize.query}", HTTP_HOST=HOST)
    if answer.status_code == 200:  # the consent page: allow
        fields = {
            m[0]: html.unescape(m[1])
            for m in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', answer.content.decode())
        }
        answer = client.post(authorize.path, {**fields, "allow": "Authorize"}, HTTP_HOST=HOST)
    assert answer.status_code == 302
    back = urlparse(answer["Location"])
    assert f"{back.scheme}://{back.netloc}" == SITE
    done = client.get(f"{back.path}?{back.query}", HTTP_HOST=HOST)
    assert done.status_code == 200
    assert "citizen1" in done.content.decode() or demo.users["citizen1"].full_name in done.content.decode()


def test_the_decision_letters_qr_code_names_the_address_the_officer_used(demo, monkeypatch):
    from weasyprint import HTML

    from portal import services
    from reports import services as reports_services

    seen = {}

    def quick_pdf(template_name, context):
        seen["url"] = context["verify_url"]
        return HTML(string="<p>decision</p>").write_pdf()

    monkeypatch.setattr(reports_services, "render_pdf", quick_pdf)
    application = Application.objects.get(applicant=demo.users["citizen1"], status="approved")
    Application.objects.filter(pk=application.pk).update(decision_document=None)
    with site_address(SITE):  # as while the officer's request is served; the task runs later
        services._queue_decision_document(application.pk)
    assert seen["url"].startswith(f"{SITE}/verify/") or seen["url"].startswith(f"{SITE}/"), seen
    application.refresh_from_db()
    assert application.decision_document is not None
    assert str(application.decision_document.token) in seen["url"]
