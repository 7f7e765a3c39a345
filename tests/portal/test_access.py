"""Only the applicant and staff of the service's departments may read an application; only the
lead department accepts or asks for corrections; nobody else learns that it exists."""

import pytest
from django.urls import reverse

from portal import services
from portal.exceptions import ApplicationNotFound, NotDepartmentStaff
from portal.selectors import application_for
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo, complete_marriage_application):
    citizen = demo.users["citizen1"]
    _payment, body, headers = pay(complete_marriage_application, citizen)
    services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    return services.application_submit(user=citizen, application=complete_marriage_application)


def test_staff_of_another_department_cannot_read_the_application(client, demo, submitted):
    market = demo.users["market_staff"]
    with pytest.raises(ApplicationNotFound):
        application_for(user=market, reference=submitted.reference)
    client.force_login(market)
    assert client.get(reverse("portal:staff_application", args=[submitted.reference])).status_code == 404
    assert client.get(reverse("portal:application", args=[submitted.reference])).status_code == 404
    assert client.get(reverse("portal:application_progress", args=[submitted.reference])).status_code == 404
    assert client.get(f"/api/portal/applications/{submitted.reference}/").status_code == 404
    attachment = submitted.attachments.first()
    assert (
        client.get(reverse("portal:attachment", args=[submitted.reference, attachment.pk])).status_code == 404
    )
    assert submitted.reference not in client.get(reverse("portal:staff") + "?status=all").content.decode()


def test_staff_of_another_department_cannot_act_on_it(client, demo, submitted):
    market = demo.users["market_staff"]
    with pytest.raises(NotDepartmentStaff):
        services.application_accept(user=market, application=submitted)
    with pytest.raises(NotDepartmentStaff):
        services.application_request_correction(
            user=market,
            application=submitted,
            items=[{"target": "material:photo", "label": "照片", "problem": "模糊"}],
        )
    client.force_login(market)
    response = client.post(
        reverse("portal:staff_application", args=[submitted.reference]), {"action": "accept"}
    )
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_joint_department_reads_and_decides_its_step_but_does_not_accept(demo, submitted):
    police = demo.users["police_staff"]
    assert application_for(user=police, reference=submitted.reference) == submitted
    with pytest.raises(NotDepartmentStaff):
        services.application_accept(user=police, application=submitted)


def test_another_citizen_and_strangers_cannot_read_it(client, demo, submitted):
    client.force_login(demo.users["citizen2"])
    assert client.get(reverse("portal:application", args=[submitted.reference])).status_code == 404
    client.logout()
    assert (
        client.get(reverse("portal:application", args=[submitted.reference])).status_code == 302
    )  # to sign in


def test_the_market_approver_cannot_decide_a_civil_affairs_approval(demo, submitted):
    from approvals.exceptions import NotEntitled
    from approvals.services import approval_approve

    services.application_accept(user=demo.users["civil_staff"], application=submitted)
    submitted.refresh_from_db()
    with pytest.raises(NotEntitled):
        approval_approve(instance_id=submitted.approval_flow_id, user=demo.users["market_staff"])
