"""一次性告知: every missing or wrong item is listed in one check, never one at a time."""

import pytest
from django.urls import reverse

from portal import services
from portal.exceptions import ApplicationIncomplete
from portal.models import Application
from tests.portal.conftest import MARRIAGE, upload

pytestmark = pytest.mark.django_db


def test_check_lists_every_field_and_material_problem_at_once(demo, marriage):
    citizen = demo.users["citizen1"]
    application = services.application_start(user=citizen, service=marriage)
    # Two wrong fields, the rest missing, one material uploaded.
    application = services.application_save_form(
        user=citizen, application=application, raw={"male_name": "王小明", "male_id": "12345", "phone": "12"}
    )
    services.attachment_add(user=citizen, application=application, material_key="male-id", upload=upload())

    problems = services.application_check(application)
    targets = {p.target for p in problems}

    assert {"field:male_id", "field:phone"} <= targets  # wrong
    assert {
        "field:female_name",
        "field:female_id",
        "field:office",
        "field:preferred_date",
        "field:declaration",
    } <= targets  # missing
    assert {
        "material:female-id",
        "material:male-household",
        "material:female-household",
        "material:photo",
    } <= targets
    assert "material:male-id" not in targets and "field:male_name" not in targets
    assert "material:divorce-cert" not in targets  # only when applicable
    with pytest.raises(ApplicationIncomplete) as refused:
        services.application_submit(user=citizen, application=application)
    assert {p.target for p in refused.value.problems} == targets
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_the_page_shows_every_missing_item_in_one_summary(client, demo, marriage):
    client.force_login(demo.users["citizen1"])
    client.post(reverse("portal:apply", args=[marriage.code]))
    application = Application.objects.get(applicant=demo.users["citizen1"], service=marriage)
    data = {**MARRIAGE, "action": "check"}
    data.pop("female_id")
    data["m-male-id"] = upload("male-id.pdf")
    data["m-female-id"] = upload("female-id.pdf")
    data["m-photo"] = upload("photo.pdf")
    response = client.post(reverse("portal:application", args=[application.reference]), data)
    page = response.content.decode()
    summary = page.split('id="completeness"')[1].split("</ul>")[0]
    assert "女方公民身份号码" in summary
    assert "男方居民户口簿" in summary and "女方居民户口簿" in summary
    assert summary.count("<li>") == 3


def test_schema_errors_are_translated(client, demo, marriage):
    client.force_login(demo.users["citizen1"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("portal:apply", args=[marriage.code]))
    application = Application.objects.get(applicant=demo.users["citizen1"], service=marriage)
    response = client.post(
        reverse("portal:application", args=[application.reference]),
        {**MARRIAGE, "male_id": "1", "action": "check"},
    )
    page = response.content.decode()
    assert "Enter a valid 18-character ID number" in page
    assert "This material is missing." in page
