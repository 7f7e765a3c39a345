"""好差评: the applicant rates a decided application; a bad rating needs reasons and is followed up
by the lead department through the approvals engine within its limit; ratings per service and per
department appear on the guide page and in the statistics."""

import pytest
import time_machine
from django.urls import reverse

from approvals import selectors as approval_selectors
from approvals.constants import InstanceStatus
from approvals.models import ApprovalInstance
from portal.citizen_models import FollowUpStatus, Grade, ServiceRating
from portal.models import Application
from portal.services import ratings
from portal.services.ratings import RatingRefused
from workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-12-04 10:00 +0800", tick=False):
        yield


@pytest.fixture
def decided(demo) -> Application:
    """The demo's approved senior allowance of citizen1 (civil affairs)."""
    return Application.objects.get(applicant=demo.users["citizen1"], status="approved")


def _rate(client, application, **data):
    return client.post(
        reverse("portal:application_rate", args=[application.reference]), data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )


def test_the_applicant_rates_a_decided_application_once(demo, decided, client):
    client.force_login(demo.users["citizen1"])
    page = client.get(reverse("portal:application", args=[decided.reference])).content.decode()
    assert 'id="rating-form"' in page and "非常满意" in page and "非常不满意" in page
    assert _rate(client, decided, grade=Grade.SATISFIED).status_code == 302
    rating = ServiceRating.objects.get(application=decided)
    assert rating.follow_up_status == FollowUpStatus.NONE and rating.follow_up_flow_id is None
    page = client.get(reverse("portal:application", args=[decided.reference])).content.decode()
    assert 'id="rating-form"' not in page and "满意" in page
    again = _rate(client, decided, grade=Grade.VERY_DISSATISFIED, reasons=["slow"])
    assert again.status_code == 400 and "您已评价过本办件" in again.content.decode()
    assert ServiceRating.objects.get(application=decided).grade == Grade.SATISFIED


def test_an_open_application_cannot_be_rated(demo, client):
    in_review = Application.objects.get(applicant=demo.users["citizen1"], status="in_review")
    client.force_login(demo.users["citizen1"])
    assert (
        'id="rating-form"'
        not in client.get(reverse("portal:application", args=[in_review.reference])).content.decode()
    )
    response = _rate(client, in_review, grade=Grade.VERY_SATISFIED)
    assert response.status_code == 400 and "办结后才能评价" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_only_the_applicant_rates(demo, decided):
    with pytest.raises(RatingRefused):
        ratings.rating_submit(
            user=demo.users["citizen2"], application=decided, grade=Grade.VERY_SATISFIED, reasons=[]
        )


def test_a_bad_rating_needs_reasons(demo, decided, client):
    client.force_login(demo.users["citizen1"])
    response = _rate(client, decided, grade=Grade.DISSATISFIED)
    assert response.status_code == 400 and "请告诉我们不满意的原因" in response.content.decode()
    assert 'href="#id_reasons_0"' in response.content.decode()  # the summary leads to the reasons
    response = _rate(client, decided, grade=Grade.DISSATISFIED, reasons=["other"])
    assert "请具体说明问题" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_a_bad_rating_is_followed_up_by_the_department_through_an_approval(
    demo, decided, client, django_capture_on_commit_callbacks, mailoutbox
):
    citizen, civil = demo.users["citizen1"], demo.users["civil_staff"]
    client.force_login(citizen)
    _rate(client, decided, grade=Grade.VERY_DISSATISFIED, reasons=["slow", "visits"], comment="跑了三次")
    rating = ServiceRating.objects.get(application=decided)
    assert rating.follow_up_status == FollowUpStatus.OPEN
    assert rating.follow_up_due == add_working_days(rating.rated_at.date(), ratings.FOLLOW_UP_LIMIT)
    instance = ApprovalInstance.objects.get(pk=rating.follow_up_flow_id)
    assert instance.status == InstanceStatus.RUNNING
    step = instance.steps.get(key="department")
    assert step.time_limit_working_days == 15 and step.organisation_field == "department_id"
    assert step.assignments.filter(assignee=civil).exists()  # the lead department's staff
    # The department sees it in its approvals inbox and on its workbench.
    assert approval_selectors.inbox(user=civil).filter(step__instance=instance).exists()
    client.force_login(civil)
    assert decided.reference in client.get(reverse("portal:staff_ratings")).content.decode()
    # Another department's staff cannot see or answer it.
    client.force_login(demo.users["police_staff"])
    assert client.get(reverse("portal:staff_rating", args=[rating.pk])).status_code == 404
    # An empty answer is refused; a real one closes the follow-up and tells the applicant.
    client.force_login(civil)
    url = reverse("portal:staff_rating", args=[rating.pk])
    assert client.post(url, {"answer": " "}, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"answer": "已核实，窗口增加人手，材料一次告知。"}).status_code == 302
    rating.refresh_from_db()
    instance.refresh_from_db()
    assert rating.follow_up_status == FollowUpStatus.ANSWERED and rating.followed_up_by == civil
    assert instance.status == InstanceStatus.APPROVED
    assert any("已回复您对" in m.body and decided.reference in m.body for m in mailoutbox)
    client.force_login(citizen)
    page = client.get(reverse("portal:application", args=[decided.reference])).content.decode()
    assert "已核实，窗口增加人手" in page


def test_ratings_per_service_and_department_are_published(demo, decided, client):
    ratings.rating_submit(
        user=demo.users["citizen1"], application=decided, grade=Grade.VERY_DISSATISFIED, reasons=["slow"]
    )
    guide = client.get(
        reverse("portal:guide", args=[decided.service.code]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "满意率 0.0%，共 1 条评价" in guide and "差评 1 条，已回访整改 0 条" in guide
    stats = client.get(reverse("portal:statistics"), follow=True).content.decode()  # moved to reports
    assert (
        'id="ratings-by-department"' in stats
        and decided.service.department.name in stats.split('id="ratings-by-department"')[1]
    )
    summary = ratings.rating_summary(service=decided.service)
    assert (summary.total, summary.bad, summary.satisfaction_percent) == (1, 1, "0.0")


def test_a_department_that_rejects_the_follow_up_in_the_approvals_inbox_still_answers(demo, decided):
    from approvals.services import approval_reject

    rating = ratings.rating_submit(
        user=demo.users["citizen1"], application=decided, grade=Grade.DISSATISFIED, reasons=["attitude"]
    )
    approval_reject(
        instance_id=rating.follow_up_flow_id,
        user=demo.users["civil_staff"],
        reason="经核实，窗口录像显示服务规范。",
    )
    rating.refresh_from_db()
    assert rating.follow_up_status == FollowUpStatus.ANSWERED
    assert rating.follow_up_answer == "经核实，窗口录像显示服务规范。"
