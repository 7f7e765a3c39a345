"""Small template helpers for tender pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cny(value: Decimal | None) -> str:
    """CNY 1,234,567.89"""
    return "—" if value is None else f"¥{value:,.2f}"


@register.filter
def readout_headings(tender) -> str:
    """ "投标报价（元）、币种、交货期（天）": what the opening reads out, as people read it."""
    from django.utils.translation import get_language

    from tenders import readout

    separator = ", " if (get_language() or "").startswith("en") else "、"
    return separator.join(readout.heading(item) for item in readout.tender_items(tender))


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, []) if mapping else []


@register.inclusion_tag("tenders/officer/_failure_notice_link.html", takes_context=True)
def failure_notice_link(context, tender) -> dict:
    """For the tender's officers, once the procurement has failed: a link to review and publish the
    failure notice the platform drafted (used by the host's view of the opening room)."""
    from tenders.constants import AnnouncementKind
    from tenders.selectors import notice_draft_for_officer

    request = context.get("request")
    user = getattr(request, "user", None)
    from tenders.permissions import is_tender_officer

    draft = (
        notice_draft_for_officer(user=user, tender=tender, kind=AnnouncementKind.FAILURE)
        if user is not None
        else None
    )
    # Before any failure the officer's room holds the link hidden: the room's script shows it when
    # the "failed" phase arrives live (the draft is made in the same transaction as that event).
    waiting = draft is None and user is not None and is_tender_officer(user=user, tender=tender)
    return {"tender": tender, "draft": draft, "waiting": waiting}
