"""Notifications: a mail with absolute links and a text message (SMS provider interface, logging
implementation) at each step of an application and of an enquiry, each step told once. Mail goes
through a real SMTP server this test starts (aiosmtpd), as production sends it."""

import logging
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings

from portal import services
from portal.citizen_models import Notification
from portal.constants import EnquiryKind
from portal.services import notifications
from tests.portal.conftest import pay

pytestmark = pytest.mark.django_db
SITE = "https://yizhan.example.gov.cn"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def bodies(self, to: str) -> list[str]:
        return [
            str(make_header(decode_header(m["Subject"]))) + "\n" + m.get_payload(decode=True).decode()
            for rcpt, m in self.messages
            if to in rcpt
        ]


@pytest.fixture
def smtp():
    """A local SMTP server on a free port; Django's SMTP backend sends to it."""
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a port number; ask the system for a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            SITE_URL=SITE,
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-12-04 10:00 +0800", tick=False):
        yield


def test_each_step_of_an_application_is_mailed_and_texted(
    demo, complete_marriage_application, smtp, caplog, django_capture_on_commit_callbacks
):
    citizen, application = demo.users["citizen1"], complete_marriage_application
    caplog.set_level(logging.INFO, logger="portal.sms")
    with django_capture_on_commit_callbacks(execute=True):
        _payment, body, headers = pay(application, citizen)
        services.payment_notification_receive(provider_name="sandbox", headers=headers, body=body)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(user=citizen, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(user=demo.users["civil_staff"], application=application)

    received = smtp.bodies(citizen.email)
    assert len(received) == 3  # paid, submitted, accepted
    link = f"{SITE}/applications/{application.reference}/"
    assert all(link in text and application.reference in text for text in received)
    assert any("已受理" in text for text in received)
    texts = [r.getMessage() for r in caplog.records if r.name == "portal.sms"]
    assert len(texts) == 3 and all("138****8000" in t and "13800138000" not in t for t in texts)
    assert all(link in t for t in texts)
    assert set(
        Notification.objects.filter(subject_ref=application.reference).values_list("channel", flat=True)
    ) == {
        "mail",
        "sms",
    }


def test_a_step_is_told_once_even_when_the_task_runs_again(demo, complete_marriage_application, smtp):
    application = complete_marriage_application
    services.application_withdraw(user=demo.users["citizen1"], application=application)
    seq = application.events.get().seq
    notifications.application_event_notify(application_id=application.pk, seq=seq)
    notifications.application_event_notify(application_id=application.pk, seq=seq)
    assert len(smtp.bodies(demo.users["citizen1"].email)) == 1


def test_an_enquiry_is_acknowledged_and_its_answer_announced(
    demo, smtp, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="portal.sms")
    with django_capture_on_commit_callbacks(execute=True):
        by_mail = services.enquiry_submit(
            kind=EnquiryKind.CONSULTATION,
            department=demo.orgs["civil_affairs"],
            subject="结婚登记需要带什么",
            body="请问需要带户口本原件吗？",
            name="张三",
            contact="zhangsan@example.com",
        )
        by_phone = services.enquiry_submit(
            kind=EnquiryKind.COMPLAINT,
            department=demo.orgs["civil_affairs"],
            subject="窗口排队太久",
            body="等了两个小时。",
            name="李四",
            contact="13912345678",
        )
    assert any(
        by_mail.tracking_number in text and f"{SITE}/consult/lookup/" in text
        for text in smtp.bodies("zhangsan@example.com")
    )
    assert any(
        by_phone.tracking_number in r.getMessage() and "139****5678" in r.getMessage() for r in caplog.records
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.enquiry_answer(user=demo.users["civil_staff"], enquiry=by_mail, answer="需要带户口本原件。")
    answered = smtp.bodies("zhangsan@example.com")
    assert len(answered) == 2 and "已答复" in answered[-1]
    # The answer itself is not in the mail: it is read by the number and the contact.
    assert "户口本原件。" not in answered[-1]


def test_without_smtp_settings_the_locmem_outbox_gets_the_same_mail(demo, complete_marriage_application):
    services.application_withdraw(user=demo.users["citizen1"], application=complete_marriage_application)
    event = complete_marriage_application.events.get()
    notifications.application_event_notify(application_id=complete_marriage_application.pk, seq=event.seq)
    assert len(mail.outbox) == 1 and "http" in mail.outbox[0].body


def test_production_sends_mail_by_smtp_configured_by_the_environment(tmp_path):
    from tests.config.test_production_settings import run_manage

    result = run_manage(
        {
            "DJANGO_EMAIL_HOST": "smtp.example.gov.cn",
            "DJANGO_EMAIL_PORT": "465",
            "DJANGO_EMAIL_USE_SSL": "true",
        },
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_SSL)",
    )
    assert result.returncode == 0, result.stderr
    assert "django.core.mail.backends.smtp.EmailBackend smtp.example.gov.cn 465 True" in result.stdout
