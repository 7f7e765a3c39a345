"""Mail about announcements (to everyone who downloaded the documents, and to subscribers) and to
key custodians when an officer names them on a tender."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from config.site import absolute_url, site_address, site_url


def _mail(announcement, email: str, unsubscribe_url: str = "") -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "announcement": announcement,
            "tender": announcement.tender,
            "site_url": site_url(),
            "unsubscribe_url": unsubscribe_url,
        }
        subject = render_to_string("tenders/email/announcement_subject.txt", context).strip()
        body = render_to_string("tenders/email/announcement.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


@shared_task
def announcement_notify_holders(announcement_id: int, site: str | None = None) -> int:
    """Mail an amendment, clarification, cancellation or failure notice to every document holder (BLR Art 21).
    Idempotent: each holder is mailed once per announcement. Returns how many were mailed now.
    `site`: the address of the request that queued it (config/site.py), else SITE_URL."""
    with site_address(site):
        return _notify_holders(announcement_id)


def _notify_holders(announcement_id: int) -> int:
    from tenders.models import Announcement, DocumentHolder, HolderNotification

    announcement = Announcement.objects.select_related("tender").get(pk=announcement_id)
    sent = 0
    holders = DocumentHolder.objects.filter(tender=announcement.tender).select_related("user")
    for holder in holders:
        if not holder.user.email:
            continue
        try:
            with transaction.atomic():
                HolderNotification.objects.create(announcement=announcement, user=holder.user)
                _mail(announcement, holder.user.email)
        except IntegrityError:
            continue  # already mailed by an earlier run
        sent += 1
    return sent


@shared_task
def announcement_notify_subscribers(announcement_id: int, site: str | None = None) -> int:
    """Mail a new announcement to the subscriptions whose category and region prefixes match.
    Idempotent through `SubscriptionDelivery`. Returns how many were mailed now."""
    with site_address(site):
        return _notify_subscribers(announcement_id)


def _notify_subscribers(announcement_id: int) -> int:
    from tenders.models import Announcement, SubscriptionDelivery
    from tenders.selectors import subscriptions_matching

    announcement = Announcement.objects.select_related("tender").get(pk=announcement_id)
    sent = 0
    for subscription in subscriptions_matching(tender=announcement.tender):
        try:
            with transaction.atomic():
                SubscriptionDelivery.objects.create(subscription=subscription, announcement=announcement)
                _mail(
                    announcement,
                    subscription.email,
                    absolute_url(reverse("notices:unsubscribe", args=[subscription.token])),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


@shared_task
def subscription_confirmation_send(subscription_id: int, site: str | None = None) -> None:
    """Mail the link that confirms a notice subscription (absolute: it is opened from a mailbox)."""
    with site_address(site):
        _confirmation_send(subscription_id)


def _confirmation_send(subscription_id: int) -> None:
    from tenders.models import Subscription

    subscription = Subscription.objects.get(pk=subscription_id)
    if subscription.confirmed_at is not None or not subscription.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "subscription": subscription,
            "confirm_url": absolute_url(reverse("notices:subscription-confirm", args=[subscription.token])),
            "site_url": site_url(),
        }
        subject = render_to_string("tenders/email/subscription_confirm_subject.txt", context).strip()
        body = render_to_string("tenders/email/subscription_confirm.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email])


@shared_task(name="tenders.search_token_counts_refresh")
def search_token_counts_refresh() -> int:
    """Nightly: recount how many tenders have each search token (the search starts from the rarest)."""
    from tenders.search import search_token_counts_refresh as refresh

    return refresh()


@shared_task
def custodians_notify_named(tender_id: int, user_ids: list[int], site: str | None = None) -> int:
    """Mail each newly named key custodian what the tender needs from them, with the link to their
    checklist page. Sent once per naming (a custodian removed and named again is told again); the
    page, not the mail, is the record of what is done. Returns how many were mailed."""
    with site_address(site):
        return _notify_custodians(tender_id, user_ids)


def _notify_custodians(tender_id: int, user_ids: list[int]) -> int:
    from tenders.models import Custodian

    sent = 0
    for custodian in Custodian.objects.filter(tender_id=tender_id, user_id__in=user_ids).select_related(
        "tender", "user"
    ):
        if not custodian.user.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "tender": custodian.tender,
                "custodian": custodian,
                "checklist_url": absolute_url(
                    reverse("suppliers:custodian_key", args=[custodian.tender.reference])
                ),
            }
            subject = render_to_string("tenders/email/custodian_named_subject.txt", context).strip()
            body = render_to_string("tenders/email/custodian_named.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [custodian.user.email])
        sent += 1
    return sent
