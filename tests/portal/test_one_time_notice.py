"""一次性告知 on the page (issue #20): no browser bubbles (one at a time, in the browser's
language), one server check that lists the form's problems and the missing materials together on
the first round, in the page's language, JavaScript on or off; the API answers from the same check."""

import pytest
from django.urls import reverse

from portal.models import Application
from tests.portal.conftest import upload

pytestmark = pytest.mark.django_db

WRONG = {"male_name": "王小明", "male_id": "12345", "phone": "12", "action": "check"}


@pytest.fixture
def draft(client, demo, marriage):
    client.force_login(demo.users["citizen1"])
    client.post(reverse("portal:apply", args=[marriage.code]))
    return Application.objects.get(applicant=demo.users["citizen1"], service=marriage)


def _summary(page: str) -> str:
    return page.split('id="completeness"')[1].split("</ul>")[0]


def test_the_form_leaves_checking_to_the_server(client, draft):
    page = client.get(reverse("portal:application", args=[draft.reference])).content.decode()
    form = page.split('id="application-form"')[1].split(">")[0]
    assert "novalidate" in form
    assert 'id="client-errors"' not in page  # the old client-side list, with browser messages, fields only


def test_the_first_check_lists_wrong_fields_and_missing_materials_together(client, draft):
    response = client.post(
        reverse("portal:application", args=[draft.reference]), {**WRONG, "m-male-id": upload("male-id.pdf")}
    )
    page = response.content.decode()
    summary = _summary(page)
    # Wrong and missing fields...
    for label in ["男方公民身份号码", "联系手机", "女方姓名", "女方公民身份号码"]:
        assert label in summary, label
    # ...and the missing materials, in the same summary.
    for material in ["女方居民身份证", "男方居民户口簿", "女方居民户口簿"]:
        assert material in summary, material
    assert "男方居民身份证" not in summary  # uploaded with the same request
    assert summary.count("<li>") >= 10
    # GOV.UK error summary: focusable by govuk-frontend, the page title says there is an error.
    assert 'data-module="govuk-error-summary"' in page
    assert "<title>错误：" in page


def test_the_summary_is_in_the_pages_language(client, draft):
    client.cookies["django_language"] = "en"
    page = client.post(reverse("portal:application", args=[draft.reference]), WRONG).content.decode()
    summary = _summary(page)
    assert "items to fix (all at once)" in summary and "This material is missing." in summary


def test_the_api_check_lists_fields_and_materials_together(client, draft):
    client.post(reverse("portal:application", args=[draft.reference]), {**WRONG, "action": "save"})
    answer = client.post(f"/api/portal/applications/{draft.reference}/check/").json()
    targets = {p["target"] for p in answer["problems"]}
    assert answer["complete"] is False
    assert {"field:male_id", "field:phone", "material:female-id", "material:photo"} <= targets


def test_screen_readers_hear_error_in_the_pages_language(client, demo):
    page = client.post(reverse("portal:enquiry_new"), {"subject": ""}).content.decode()
    assert '<span class="govuk-visually-hidden">错误：</span>' in page
    assert '<span class="govuk-visually-hidden">Error:</span>' not in page


def test_an_empty_choice_reads_choose_not_dashes(client, demo):
    page = client.get(reverse("portal:enquiry_new")).content.decode()
    assert "---------" not in page
    assert "请选择" in page
    # Every department that runs a service can be asked.
    assert "上海市教育局" in page
