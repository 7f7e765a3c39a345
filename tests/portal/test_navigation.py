"""Navigation (issue #20): a citizen's sign-in lands in 个人中心, not on an account page saying they
hold no role; department staff reach the applications awaiting acceptance from the navigation."""

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from portal import services
from portal.models import Application

pytestmark = pytest.mark.django_db


def test_a_citizen_signing_in_lands_in_the_personal_centre(client, demo):
    response = client.post(
        reverse("accounts:login"), {"username": "citizen1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:my")
    assert "您尚未在任何机构中担任角色" not in response.content.decode()


def test_someone_with_a_role_still_lands_on_the_account_page(client, demo):
    response = client.post(
        reverse("accounts:login"), {"username": "civil_staff", "password": DEMO_PASSWORD}, follow=True
    )
    assert reverse("accounts:home") in [url for url, _ in response.redirect_chain] or response.redirect_chain[
        -1
    ][0].startswith("/accounts/2fa/")


def test_department_staff_reach_applications_awaiting_acceptance_from_the_navigation(client, demo, marriage):
    from tests.portal.conftest import MARRIAGE, upload

    citizen = demo.users["citizen2"]
    application = services.application_start(user=citizen, service=marriage)
    services.application_save_form(user=citizen, application=application, raw=MARRIAGE)
    for material in marriage.materials.filter(required=True):
        services.attachment_add(
            user=citizen, application=application, material_key=material.key, upload=upload()
        )
    Application.objects.filter(pk=application.pk).update(status="submitted")
    waiting = Application.objects.filter(status="submitted", service__department=marriage.department).count()

    client.force_login(demo.users["civil_staff"])
    page = client.get(reverse("portal:catalogue")).content.decode()
    link = page.split('id="nav-awaiting-acceptance"')[1].split("</a>")[0]
    assert f"待受理申请（{waiting}）" in link
    href = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    queue = client.get(href).content.decode()
    assert application.reference in queue

    client.force_login(demo.users["citizen1"])
    assert 'id="nav-awaiting-acceptance"' not in client.get(reverse("portal:catalogue")).content.decode()
