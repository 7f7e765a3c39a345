"""English content for catalogue data written in Chinese: `<field>_en` beside `<field>` (Service,
ServiceMaterial, Category, Article, Licence), `steps_en` beside `steps`, "q_en"/"a_en" in FAQ items,
"item_en" in fee items, and DepartmentName for departments. In English mode a page shows the
English where it was entered and the Chinese, marked as such, where it was not."""

from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "").startswith("en")


def value(obj: Any, field: str) -> tuple[str, bool]:
    """(text to show, whether it is in the page's language)."""
    chinese = getattr(obj, field, "") or ""
    if not english():
        return chinese, True
    if not chinese:
        return "", True
    english_text = getattr(obj, f"{field}_en", "") or ""
    return (english_text, True) if english_text else (chinese, False)


def department_name(organisation: Any) -> str:
    if organisation is None:
        return ""
    if english():
        translation = organisation.portal_name if _has_name(organisation) else None
        if translation is not None and translation.name_en:
            return translation.name_en
    return organisation.name


def _has_name(organisation: Any) -> bool:
    from portal.models import DepartmentName

    try:
        return organisation.portal_name is not None
    except DepartmentName.DoesNotExist:
        return False


def steps(service: Any) -> list[tuple[str, bool]]:
    """Each procedure step with whether it is in the page's language."""
    if english() and service.steps_en and len(service.steps_en) == len(service.steps):
        return [(s, True) for s in service.steps_en]
    return [(s, not english()) for s in service.steps]


def faq(service: Any) -> list[dict[str, Any]]:
    out = []
    for item in service.faq:
        if english() and item.get("q_en") and item.get("a_en"):
            out.append({"q": item["q_en"], "a": item["a_en"], "translated": True})
        else:
            out.append({"q": item.get("q", ""), "a": item.get("a", ""), "translated": not english()})
    return out


def fee_items(service: Any) -> list[dict[str, Any]]:
    out = []
    for item in service.fee_items:
        shown = dict(item)
        if english():
            shown["item"] = item.get("item_en") or item.get("item", "")
            shown["basis"] = item.get("basis_en") or item.get("basis", "")
            shown["translated"] = bool(item.get("item_en"))
        else:
            shown["translated"] = True
        out.append(shown)
    return out


# The types of matter of the national catalogue, and the catalogue's default quantity limit.
MATTER_TYPES_EN = {
    "行政许可": "Administrative licence",
    "行政确认": "Administrative confirmation",
    "行政给付": "Administrative benefit",
    "行政备案": "Administrative filing",
    "行政奖励": "Administrative award",
    "公共服务": "Public service",
    "其他行政权力": "Other administrative power",
}
QUANTITY_EN = {"无数量限制": "No limit"}


def matter_type(text: str) -> str:
    return MATTER_TYPES_EN.get(text, text) if english() else text


def quantity_limit(text: str) -> str:
    return QUANTITY_EN.get(text, text) if english() else text
