"""Real-name checks: ID numbers by GB 11643 (check digit, birth date, region code) in every
application form, and enterprise applications only for a member of a verified supplier."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal import services
from portal.models import Application, Service
from portal.services.realname import EnterpriseNotVerified, id_check_character, id_number_problem
from suppliers.constants import VerificationStatus
from suppliers.models import Supplier
from tests.portal.conftest import MARRIAGE


def _with_check(first17: str) -> str:
    return first17 + id_check_character(first17)


@pytest.mark.parametrize("number", ["310101199001011234", "310104199203045626", "11010519491231002X"])
def test_valid_id_numbers_pass(db, number):
    assert id_number_problem(number) is None
    assert id_number_problem(number.lower()) is None  # a lower-case x is the same number


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("310101199001011236", "最后一位"),  # the example: the check digit should be 4
        ("31010119900101123", "18 位"),  # one short
        ("3101011990010112A4", "18 位"),  # a letter inside
        (_with_check("99010119900101123"), "行政区划代码"),  # no province 99
        (_with_check("31010119900230123"), "出生日期"),  # 30 February
        (_with_check("31010121000101123"), "出生日期"),  # born in 2100
    ],
)
def test_wrong_id_numbers_are_refused_with_a_clear_chinese_message(db, number, says):
    with translation.override("zh-hans"):
        problem = id_number_problem(number)
    assert problem is not None and says in problem


def test_the_application_check_names_the_wrong_check_digit(demo, marriage):
    citizen = demo.users["citizen1"]
    application = services.application_start(user=citizen, service=marriage)
    application = services.application_save_form(
        user=citizen, application=application, raw={**MARRIAGE, "male_id": "310101199001011236"}
    )
    with translation.override("zh-hans"):
        problems = {p.target: p.message for p in services.application_check(application)}
    assert "校验" in problems["field:male_id"] and "GB 11643" in problems["field:male_id"]
    assert "field:female_id" not in problems  # the valid number passes


def test_the_page_shows_the_id_problem_and_refuses_to_submit(demo, complete_marriage_application, client):
    application = complete_marriage_application
    client.force_login(demo.users["citizen1"])
    response = client.post(
        reverse("portal:application", args=[application.reference]),
        {**MARRIAGE, "male_id": "310101199001011236", "action": "submit"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert "公民身份号码的最后一位与前面的数字不符" in page
    assert Application.objects.get(pk=application.pk).status == "draft"


def _business_service() -> Service:
    return Service.objects.filter(audience="g2b", is_published=True).order_by("code").first()


def test_an_enterprise_applies_only_as_its_verified_supplier(demo, client):
    admin, org = demo.users["supplier1"], demo.orgs["supplier1"]
    service = _business_service()
    Supplier.objects.filter(organisation=org).update(verification_status=VerificationStatus.PENDING)
    with pytest.raises(EnterpriseNotVerified):
        services.application_start(user=admin, service=service, organisation=org)
    client.force_login(admin)
    response = client.post(reverse("portal:apply", args=[service.code]), follow=True)
    assert "尚未通过核验" in response.content.decode()
    assert not Application.objects.filter(applicant=admin).exists()

    Supplier.objects.filter(organisation=org).update(verification_status=VerificationStatus.VERIFIED)
    client.post(reverse("portal:apply", args=[service.code]))
    application = Application.objects.get(applicant=admin)
    assert application.organisation == org


def test_nobody_applies_for_an_enterprise_they_do_not_belong_to(demo):
    with pytest.raises(EnterpriseNotVerified):
        services.application_start(
            user=demo.users["supplier2"], service=_business_service(), organisation=demo.orgs["supplier1"]
        )
