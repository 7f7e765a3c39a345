"""A consultation or complaint is followed by its tracking number AND the contact given when it was
made (or by its signed-in author): the number alone, which may be seen over a shoulder or guessed,
shows nothing, and a wrong contact is answered exactly like a wrong number."""

import re

import pytest
import time_machine
from django.urls import reverse

from portal import services

pytestmark = pytest.mark.django_db

ANSWER = "需要户口簿原件。"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):  # before `demo`, which counts days
        yield


@pytest.fixture
def complaint(demo):
    enquiry = services.enquiry_submit(
        kind="complaint",
        department=demo.orgs["civil_affairs"],
        subject="窗口排队两小时",
        body="周一上午排队两个小时。",
        name="王小明",
        contact="138 0013 8000",
        user=demo.users["citizen1"],
    )
    return services.enquiry_answer(user=demo.users["civil_staff"], enquiry=enquiry, answer=ANSWER)


def _lookup(client, number, contact=""):
    return client.post(
        reverse("portal:enquiry_lookup"), {"number": number, "contact": contact}
    ).content.decode()


def test_the_number_alone_shows_nothing(complaint, client):
    for page in (
        _lookup(client, complaint.tracking_number),
        client.get(
            reverse("portal:enquiry_lookup") + f"?number={complaint.tracking_number}"
        ).content.decode(),
    ):
        assert ANSWER not in page and "窗口排队两小时" not in page


def _errors(page: str) -> str:
    return re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S).group(0)


def test_a_wrong_contact_reads_exactly_like_a_wrong_number(complaint, client):
    wrong_contact = _lookup(client, complaint.tracking_number, "13912345678")
    wrong_number = _lookup(client, "TS20260601000000", "13800138000")
    assert ANSWER not in wrong_contact and "窗口排队两小时" not in wrong_contact
    assert _errors(wrong_contact) == _errors(wrong_number)
    assert "没有与该查询编号和联系方式相符的咨询或投诉" in _errors(wrong_contact)


@pytest.mark.parametrize("contact", ["13800138000", "+86 138-0013-8000", "138 0013 8000"])
def test_the_number_and_the_contact_it_was_made_with_show_it(complaint, client, contact):
    page = _lookup(client, complaint.tracking_number, contact)
    assert ANSWER in page and "窗口排队两小时" in page


def test_an_email_contact_matches_whatever_its_case(demo, client):
    enquiry = services.enquiry_submit(
        kind="consultation",
        department=demo.orgs["civil_affairs"],
        subject="补办结婚证",
        body="需要什么？",
        name="赵六",
        contact="Zhao.Liu@example.cn",
    )
    assert "补办结婚证" in _lookup(client, enquiry.tracking_number, "zhao.liu@EXAMPLE.cn ")
    assert "补办结婚证" not in _lookup(client, enquiry.tracking_number, "zhao.liu@example.com")


def test_the_signed_in_author_follows_it_by_the_link_in_their_messages(demo, complaint, client):
    client.force_login(demo.users["citizen1"])
    page = client.get(
        reverse("portal:enquiry_lookup") + f"?number={complaint.tracking_number}"
    ).content.decode()
    assert ANSWER in page
    client.force_login(demo.users["citizen2"])  # another citizen, signed in, learns nothing
    page = client.get(
        reverse("portal:enquiry_lookup") + f"?number={complaint.tracking_number}"
    ).content.decode()
    assert ANSWER not in page
    assert ANSWER not in _lookup(client, complaint.tracking_number)
