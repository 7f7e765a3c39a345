"""Notifications to citizens: a mail and a text message at each step of an application, of an
enquiry and of an appointment, and when a department answers a bad rating.

Sent after the transaction commits, through the Celery task `portal.notify` (so a slow mail server
never holds a request), at most once per channel and step (`Notification` rows, unique). Links are
absolute (`settings.SITE_URL`: no request exists in a worker), so they work from a mail client.

Text messages go through an `SmsProvider` (`settings.PORTAL_SMS_PROVIDER`): the built-in `log`
provider writes the message to the log with the number masked; a real gateway is one class added to
`SMS_PROVIDERS`. Mail goes through Django's mail backend: SMTP in production (DJANGO_EMAIL_* variables)."""

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from config import clock
from portal.citizen_models import Appointment, Notification, NotificationChannel

logger = logging.getLogger("portal.sms")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


class SmsProvider(Protocol):
    name: str

    def send(self, *, phone: str, text: str) -> str:
        """Hand the message to the gateway; returns the gateway's reference for it."""
        ...


class LoggingSmsProvider:
    """Writes each message to the `portal.sms` log instead of sending it (development, tests, demo)."""

    name = "log"

    def send(self, *, phone: str, text: str) -> str:
        reference = f"log-{secrets.token_hex(6)}"
        logger.info("SMS %s to %s: %s", reference, mask_phone(phone), text)
        return reference


SMS_PROVIDERS: dict[str, type] = {"log": LoggingSmsProvider}


def sms_provider() -> SmsProvider:
    return SMS_PROVIDERS[getattr(settings, "PORTAL_SMS_PROVIDER", "log")]()


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Note:
    """What to tell one person: a topic unique for the subject (so each step is told once)."""

    topic: str
    subject_ref: str
    subject: str
    text: str  # one or two sentences, also the text message
    path: str  # where to look, made absolute in the mail
    email: str
    phone: str
    user_id: int | None


def _deliver(note: Note) -> None:
    """Send the mail and the text message of `note`, each once."""
    link = absolute(note.path)
    channels = []
    if note.email:
        channels.append(NotificationChannel.MAIL)
    if MOBILE.match(note.phone or ""):
        channels.append(NotificationChannel.SMS)
    for channel in channels:
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    user_id=note.user_id,
                    channel=channel,
                    topic=note.topic[:40],
                    subject_ref=note.subject_ref[:40],
                    sent_at=clock.now(),
                )
        except IntegrityError:
            continue  # told already (a retried task)
        if channel == NotificationChannel.MAIL:
            send_mail(
                f"一站 Yizhan · {note.subject}",
                f"{note.text}\n\n查看详情 / Details: {link}\n\n"
                "此邮件由系统自动发送，请勿回复。 / This message was sent automatically; do not reply.",
                None,
                [note.email],
            )
            row.provider = "mail"
        else:
            provider = sms_provider()
            row.provider = provider.name
            row.provider_reference = provider.send(phone=note.phone, text=f"【一站】{note.text} {link}")[:80]
        row.save(update_fields=["provider", "provider_reference"])


def _queue(note: Note) -> None:
    from portal.tasks import notify_task

    transaction.on_commit(lambda: notify_task.delay(note.__dict__))


def deliver_task_body(data: dict) -> None:
    _deliver(Note(**data))


def _applicant_phone(application) -> str:
    phone = str(application.form_data.get("phone", "") or "")
    return phone if MOBILE.match(phone) else application.applicant.phone


# ---------------------------------------------------------------- the steps


def application_event_notify(*, application_id: int, seq: int) -> None:
    """Tell the applicant about event `seq` of the application (called after commit)."""
    from portal.models import ApplicationEvent

    event = (
        ApplicationEvent.objects.select_related("application__service", "application__applicant")
        .filter(application_id=application_id, seq=seq)
        .first()
    )
    if event is None:
        return
    application = event.application
    _deliver(
        Note(
            topic=f"application:{seq}",
            subject_ref=application.reference,
            subject=f"{application.service.name}（{application.reference}）",
            text=f"您的申请 {application.reference}（{application.service.name}）：{event.texts.get('zh', event.message)}",
            path=reverse("portal:application", args=[application.reference]),
            email=application.applicant.email,
            phone=_applicant_phone(application),
            user_id=application.applicant_id,
        )
    )


def _contact(enquiry) -> tuple[str, str]:
    contact = (enquiry.contact or "").strip()
    email = contact if "@" in contact else (enquiry.user.email if enquiry.user_id else "")
    phone = contact if MOBILE.match(contact) else (enquiry.user.phone if enquiry.user_id else "")
    return email, phone


def enquiry_notify(enquiry, step: str) -> None:
    """Tell who made an enquiry that it was received (with its tracking number) or answered."""
    email, phone = _contact(enquiry)
    kind = enquiry.get_kind_display()
    if step == "received":
        text = (
            f"您的{kind}已收到，查询编号 {enquiry.tracking_number}，"
            f"将在 {enquiry.answer_due:%Y-%m-%d} 前答复。"
        )
    else:
        text = f"您的{kind}（编号 {enquiry.tracking_number}）已答复，请凭编号和联系方式查看。"
    _queue(
        Note(
            topic=f"enquiry:{step}",
            subject_ref=enquiry.tracking_number,
            subject=f"{kind} {enquiry.tracking_number}",
            text=text,
            path=reverse("portal:enquiry_lookup") + f"?number={enquiry.tracking_number}",
            email=email,
            phone=phone,
            user_id=enquiry.user_id,
        )
    )


def appointment_notify(appointment: Appointment, step: str) -> None:
    office = appointment.office
    when = f"{appointment.date:%Y-%m-%d} {appointment.start:%H:%M}"
    text = {
        "booked": f"预约成功：{office.name}，{when}，预约号 {appointment.number}。地址：{office.address}。",
        "cancelled": f"您已取消 {office.name} {when} 的预约（{appointment.number}）。",
        "reminder": f"提醒：您预约了 {office.name}，{when}（{appointment.number}），请携带身份证件按时前往。",
    }[step]
    user: User = appointment.user
    _queue(
        Note(
            topic=f"appointment:{step}",
            subject_ref=appointment.number,
            subject=f"预约 {appointment.number}",
            text=text,
            path=reverse("portal:my_appointments"),
            email=user.email,
            phone=user.phone,
            user_id=user.pk,
        )
    )


def rating_answered_notify(rating) -> None:
    application = rating.application
    _queue(
        Note(
            topic="rating:answered",
            subject_ref=application.reference,
            subject=f"评价回访 {application.reference}",
            text=f"{rating.department.name}已回复您对 {application.reference}（{application.service.name}）的评价。",
            path=reverse("portal:application", args=[application.reference]),
            email=application.applicant.email,
            phone=_applicant_phone(application),
            user_id=application.applicant_id,
        )
    )
