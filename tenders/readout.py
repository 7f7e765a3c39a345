"""Read-out items (唱标内容): what each sealed bid declares for reading out at the opening, with a
label people read, a type that says which values are valid, and a unit.

SB1 carries a read-out item as a name (lowercase ASCII) and its value as printable ASCII
(SEALED_BIDS.md); everything a person reads comes from here: the catalogue of common items, or the
tender's own items (`Tender.readout_items`, by name). The same definitions drive the editor, the
notice, the bid form (checked in the browser before sealing, and by the Python client), the room's
read-out and the opening record."""

import re
from typing import Any

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tenders.constants import READOUT_ALWAYS, READOUT_NAME_RE


class ReadoutType(models.TextChoices):
    AMOUNT = "amount", gettext_lazy("Amount in CNY (two decimals)")
    INTEGER = "integer", gettext_lazy("Whole number")
    DAYS = "days", gettext_lazy("Number of days")
    TEXT = "text", gettext_lazy("Short code (letters and digits)")
    CHOICE = "choice", gettext_lazy("Choice from a list")


# The value patterns (JavaScript-compatible, anchored): SB1 values are printable ASCII without `"`
# or `\`; each type narrows that. The bid page uses the same patterns through the item's "pattern".
PATTERNS = {
    ReadoutType.AMOUNT: r"^(0|[1-9][0-9]{0,12})\.[0-9]{2}$",
    ReadoutType.INTEGER: r"^(0|[1-9][0-9]{0,8})$",
    ReadoutType.DAYS: r"^(0|[1-9][0-9]{0,4})$",
    ReadoutType.TEXT: r"^[A-Za-z0-9][A-Za-z0-9 .,:;/()+_#%-]{0,31}$",
    ReadoutType.CHOICE: r"^[1-9]$",
}

MAX_CUSTOM = 3
MAX_LABEL = 20
MAX_UNIT = 8
MAX_CHOICES = 9


def _item(name, label, label_en, kind, unit="", unit_en="") -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "label_en": label_en,
        "type": str(kind),
        "unit": unit,
        "unit_en": unit_en,
        "choices": [],
    }


# Items every officer can pick; price and currency are always read out (SB1).
CATALOGUE: dict[str, dict[str, Any]] = {
    item["name"]: item
    for item in (
        _item("price", "投标报价", "Bid price", ReadoutType.AMOUNT, "元", "CNY"),
        _item("currency", "币种", "Currency", ReadoutType.TEXT),
        _item("delivery_days", "交货期", "Delivery time", ReadoutType.DAYS, "天", "days"),
        _item("construction_days", "工期", "Construction period", ReadoutType.DAYS, "天", "days"),
        _item("service_months", "服务期", "Service period", ReadoutType.INTEGER, "个月", "months"),
        _item("warranty_months", "质保期", "Warranty period", ReadoutType.INTEGER, "个月", "months"),
    )
}
OPTIONAL = [name for name in CATALOGUE if name not in READOUT_ALWAYS]


def custom_name(position: int) -> str:
    """The SB1 name of the tender's own item in row `position` (1..MAX_CUSTOM) of the editor."""
    return f"item_{position}"


def definition(name: str, custom: dict[str, Any] | None) -> dict[str, Any]:
    """The item called `name`: from the catalogue, the tender's own items, or (a name from before
    items had labels) the name itself as a short code."""
    if name in CATALOGUE:
        item = dict(CATALOGUE[name])
    elif custom and isinstance(custom.get(name), dict):
        own = custom[name]
        item = _item(
            name,
            own.get("label", name),
            own.get("label_en", ""),
            own.get("type", "text"),
            own.get("unit", ""),
        )
        item["unit_en"] = own.get("unit_en", "")
        item["choices"] = list(own.get("choices") or [])
    else:
        item = _item(name, name, name, ReadoutType.TEXT)
    item["pattern"] = PATTERNS.get(item["type"], PATTERNS[ReadoutType.TEXT])
    return item


def definitions(names: list[str], custom: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [definition(name, custom) for name in names]


def tender_items(tender: Any) -> list[dict[str, Any]]:
    """The tender's read-out items in order (price and currency first)."""
    from tenders.rules import normalise_readout

    return definitions(normalise_readout(list(tender.readout_fields or [])), tender.readout_items or {})


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def label(item: dict[str, Any]) -> str:
    return (item.get("label_en") or item["label"]) if _english() else item["label"]


def unit(item: dict[str, Any]) -> str:
    return (item.get("unit_en") or item.get("unit", "")) if _english() else item.get("unit", "")


def heading(item: dict[str, Any]) -> str:
    """ "交货期（天）" / "Delivery time (days)"."""
    u = unit(item)
    if not u:
        return label(item)
    return f"{label(item)} ({u})" if _english() else f"{label(item)}（{u}）"


def display(item: dict[str, Any], value: str | None) -> str:
    """A read-out value as people read it: "30 天", a choice's label; the raw text when it is not a
    valid value of its type (the read-out never hides what a bid declared)."""
    if value is None or value == "":
        return "—"
    if value_problem(item, value) is not None:
        return value
    if item["type"] == ReadoutType.CHOICE:
        return item["choices"][int(value) - 1]
    u = unit(item)
    return f"{value} {u}" if u else value


def value_problem(item: dict[str, Any], value: str) -> str | None:
    """Why `value` is not a valid value of `item`, in the active language; None when it is."""
    kind = item["type"]
    if not re.fullmatch(PATTERNS.get(kind, PATTERNS[ReadoutType.TEXT]).strip("^$"), value or ""):
        messages = {
            ReadoutType.AMOUNT: _(
                "Enter %(label)s as an amount with two decimals and no separators, e.g. 1284500.00."
            ),
            ReadoutType.INTEGER: _("Enter %(label)s as a whole number, e.g. 12."),
            ReadoutType.DAYS: _("Enter %(label)s as a whole number of days, e.g. 30."),
            ReadoutType.TEXT: _("Enter %(label)s in letters and digits (at most 32)."),
            ReadoutType.CHOICE: _("Choose %(label)s from the list."),
        }
        return messages.get(kind, messages[ReadoutType.TEXT]) % {"label": label(item)}
    if kind == ReadoutType.CHOICE and int(value) > len(item["choices"]):
        return _("Choose %(label)s from the list.") % {"label": label(item)}
    return None


def custom_problems(names: list[str], custom: Any) -> list[str]:
    """What is wrong with the tender's own items: each name outside the catalogue needs a label, a
    type and (for a choice) its options."""
    if custom in (None, ""):
        custom = {}
    if not isinstance(custom, dict):
        return [_("The read-out items must be given by name.")]
    found = []
    for name in names:
        if name in CATALOGUE:
            continue
        own = custom.get(name)
        if not isinstance(own, dict) or not str(own.get("label") or "").strip():
            found.append(_("Give the read-out item “%(name)s” a name, a type and a unit.") % {"name": name})
            continue
        if len(str(own["label"])) > MAX_LABEL:
            found.append(_("A read-out item's name has at most %(n)d characters.") % {"n": MAX_LABEL})
        if own.get("type") not in ReadoutType.values:
            found.append(_("Choose the type of the read-out item “%(label)s”.") % {"label": own["label"]})
        if len(str(own.get("unit") or "")) > MAX_UNIT:
            found.append(_("A read-out item's unit has at most %(n)d characters.") % {"n": MAX_UNIT})
        choices = own.get("choices") or []
        if own.get("type") == ReadoutType.CHOICE and (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= MAX_CHOICES
            or any(not str(c).strip() or len(str(c)) > MAX_LABEL for c in choices)
        ):
            found.append(
                _("The choice “%(label)s” needs 2 to %(n)d options, each at most %(m)d characters.")
                % {"label": own["label"], "n": MAX_CHOICES, "m": MAX_LABEL}
            )
    unused = [name for name in custom if name not in names or not READOUT_NAME_RE.fullmatch(str(name))]
    if unused:
        found.append(
            _("Read-out items are defined but not read out: %(names)s.")
            % {"names": ", ".join(map(str, unused))}
        )
    return found
