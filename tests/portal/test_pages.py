"""Every portal page renders in Chinese and English; the catalogue finds services in Chinese."""

import pytest
from django.urls import reverse

from portal.selectors import service_catalogue

pytestmark = pytest.mark.django_db

PUBLIC = [
    "home",
    "portal:catalogue",
    "portal:enquiry_new",
    "portal:enquiry_lookup",
    "portal:qa",
    "statistics:services",
    "statistics:dashboard",
    "portal:commitments",
    "portal:form_downloads",
    "portal:sitemap",
    "portal:subscribe",
    "portal:privacy",
    "portal:accessibility",
    "portal:help",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_render(client, demo, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    for name in PUBLIC:
        assert client.get(reverse(name)).status_code == 200, name
    for url in [
        "/services/marriage-registration/",
        "/info/news/",
        "/info/feeds/news.atom",
        "/info/feeds/marriage.atom",
        "/info/a/one-stop-online/",
        "/services/?q=婚姻&audience=g2c",
    ]:
        assert client.get(url).status_code == 200, url


def test_signed_in_pages_render(client, demo):
    client.force_login(demo.users["citizen1"])
    for name in ["portal:my", "portal:my_messages", "portal:my_applications", "portal:my_preferences"]:
        assert client.get(reverse(name)).status_code == 200, name
    client.force_login(demo.users["civil_staff"])
    assert client.get(reverse("portal:staff")).status_code == 200
    assert client.get(reverse("portal:staff_service_edit", args=["marriage-registration"])).status_code == 200


def test_chinese_search_finds_marriage_registration(demo):
    for query in ["婚姻登记", "结婚", "婚姻", "marriage", "结婚登记"]:
        codes = [s.code for s in service_catalogue(query=query)]
        assert codes and codes[0] == "marriage-registration", (query, codes)
    assert "marriage-registration" not in [s.code for s in service_catalogue(query="营业执照")]


def test_blank_and_sample_forms_are_pdfs(client, demo):
    for name in ["portal:blank_form", "portal:sample_form"]:
        response = client.get(reverse(name, args=["marriage-registration"]))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_display_preferences_are_remembered_per_user(client, demo):
    client.force_login(demo.users["citizen1"])
    client.post(reverse("portal:display_toggle"), {"mode": "elder_mode", "next": "/"})
    client.logout()
    assert "yz-elder" not in client.get("/").content.decode()
    client.force_login(demo.users["citizen1"])
    assert 'class="govuk-template__body yz-elder' in client.get("/").content.decode()


def test_widgets_are_chosen_and_ordered(client, demo):
    client.force_login(demo.users["citizen1"])
    client.post(
        reverse("portal:my_preferences"), {"form": "widgets", "w-payments": "1", "w-applications": "2"}
    )
    page = client.get(reverse("portal:my")).content.decode()
    assert page.index('data-widget="payments"') < page.index('data-widget="applications"')
    assert 'data-widget="messages"' not in page


def test_enquiry_is_tracked_answered_and_published(client, demo):
    from portal.models import Enquiry

    response = client.post(
        reverse("portal:enquiry_new"),
        {
            "kind": "consultation",
            "department": demo.orgs["civil_affairs"].pk,
            "subject": "外地户口能否在上海登记结婚",
            "body": "男方户口在江苏，女方在上海。",
            "name": "王先生",
            "contact": "13800138000",
        },
    )
    enquiry = Enquiry.objects.get(subject="外地户口能否在上海登记结婚")
    assert enquiry.tracking_number in response.content.decode()
    client.force_login(demo.users["civil_staff"])
    client.post(
        reverse("portal:staff_enquiry", args=[enquiry.tracking_number]),
        {"answer": "可以，在女方常住户口所在地登记机关办理。", "publish": "on"},
    )
    client.logout()
    page = client.post(
        reverse("portal:enquiry_lookup"), {"number": enquiry.tracking_number, "contact": "13800138000"}
    ).content.decode()
    assert "可以，在女方常住户口所在地登记机关办理。" in page
    assert "外地户口能否在上海登记结婚" in client.get(reverse("portal:qa")).content.decode()
    assert "王先生" not in client.get(reverse("portal:qa")).content.decode()


def test_api_catalogue_and_application_status(client, demo):
    services_list = client.get("/api/portal/services/?q=结婚").json()
    assert services_list["results"][0]["code"] == "marriage-registration"
    detail = client.get("/api/portal/services/marriage-registration/").json()
    assert detail["legal_time_limit"] == 20 and detail["materials"]
    client.force_login(demo.users["citizen1"])
    created = client.post(
        "/api/portal/applications/",
        {"service": "marriage-registration", "form_data": {"male_name": "王小明"}},
        content_type="application/json",
    )
    assert created.status_code == 201
    reference = created.json()["reference"]
    check = client.post(f"/api/portal/applications/{reference}/check/").json()
    assert not check["complete"] and len(check["problems"]) >= 10
    assert client.get(f"/api/portal/applications/{reference}/").json()["status"] == "draft"
    assert client.get("/api/schema/").status_code == 200
