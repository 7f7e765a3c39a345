"""Template tags for reuse (材料复用) and English content with a Chinese fallback."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal import translated
from portal.services.wallet import reuse_offers as offers_for

register = template.Library()


@register.simple_tag
def reuse_offers(application, material):
    return offers_for(application=application, material=material)


@register.simple_tag
def tr(obj, field: str):
    """`obj.<field>` in the page's language: the English field when entered, otherwise the Chinese
    marked `lang="zh-Hans"` with a note that no translation exists yet."""
    text, translated_ok = translated.value(obj, field)
    if translated_ok:
        return text
    return format_html(
        '<span lang="zh-CN">{}</span> <span class="yz-untranslated">({})</span>',
        text,
        _("in Chinese; no English translation yet"),
    )


@register.simple_tag
def tr_text(obj, field: str) -> str:
    """The same without markup (titles, attributes): the English when entered, else the Chinese."""
    return translated.value(obj, field)[0]


@register.filter
def department_title(organisation) -> str:
    return translated.department_name(organisation)


@register.filter
def matter_type_title(matter_type: str) -> str:
    return translated.matter_type(matter_type)


@register.filter
def quantity_title(text: str) -> str:
    return translated.quantity_limit(text)


@register.simple_tag
def guide_lists(service):
    """Steps, fees and FAQ in the page's language (each item says whether it is)."""
    return {
        "steps": translated.steps(service),
        "fees": translated.fee_items(service),
        "faq": translated.faq(service),
    }
