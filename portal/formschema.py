"""Application forms as data: a JSON Schema (draft 2020-12) describes what is valid, UI hints say how
to show it. The same schema renders the HTML form (with the browser's constraint attributes, so the
page checks before sending) and validates on the server, where every problem is collected at once.

UI hints (`Service.form_ui`): {"order": [...], "fields": {name: {"widget": "textarea"|"radios"|"select",
"help": "...", "help_en": "...", "label_en": "...", "enum_labels": {...}, "error": "...", "error_en": "..."}}}."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from config import clock

_FORMAT_INPUT = {"date": "date", "email": "email"}


def _english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass
class FormField:
    name: str
    label: str
    kind: str  # string | integer | number | boolean
    widget: str  # text | textarea | date | email | tel | number | radios | select | checkbox
    required: bool
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"f-{self.name}"


def _hint(ui: dict, name: str, key: str, default: str = "") -> str:
    hints = ui.get("fields", {}).get(name, {})
    if _english() and hints.get(f"{key}_en"):
        return hints[f"{key}_en"]
    return hints.get(key, default)


def form_fields(
    schema: dict, ui: dict, data: dict | None = None, errors: dict[str, list[str]] | None = None
) -> list[FormField]:
    """The fields to render, in the UI order, with values and server-side errors filled in."""
    properties: dict[str, dict] = schema.get("properties", {})
    required = set(schema.get("required", []))
    order = ui.get("order") or list(properties)
    order += [name for name in properties if name not in order]
    data, errors = data or {}, errors or {}
    fields: list[FormField] = []
    for name in order:
        prop = properties[name]
        kind = prop.get("type", "string")
        hints = ui.get("fields", {}).get(name, {})
        label = hints.get("label_en") if _english() and hints.get("label_en") else prop.get("title", name)
        widget = (
            hints.get("widget")
            or {"integer": "number", "number": "number", "boolean": "checkbox"}.get(kind)
            or _FORMAT_INPUT.get(prop.get("format", ""), "text")
        )
        attrs: dict[str, Any] = {}
        if "enum" in prop:
            widget = widget if widget in ("radios", "select") else "select"
            labels = hints.get("enum_labels_en" if _english() else "enum_labels", {}) or hints.get(
                "enum_labels", {}
            )
            choices = [(str(v), labels.get(str(v), str(v))) for v in prop["enum"]]
        else:
            choices = []
        for key, attr in (
            ("minLength", "minlength"),
            ("maxLength", "maxlength"),
            ("pattern", "pattern"),
            ("minimum", "min"),
            ("maximum", "max"),
        ):
            if key in prop:
                attrs[attr] = prop[key]
        if kind == "number":
            attrs["step"] = "any"
        if prop.get("format") == "date" and "formatMaximum" in prop:
            attrs["max"] = prop["formatMaximum"]
        fields.append(
            FormField(
                name=name,
                label=label,
                kind=kind,
                widget=widget,
                required=name in required,
                help=_hint(ui, name, "help", prop.get("description", "")),
                choices=choices,
                attrs=attrs,
                value=data.get(name),
                errors=errors.get(name, []),
            )
        )
    return fields


def coerce(schema: dict, raw: dict[str, Any]) -> dict[str, Any]:
    """Form strings to the schema's types; blanks are left out (so `required` reports them).
    A value that does not convert is kept as text, and the schema then reports it as the wrong type."""
    data: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        value = raw.get(name)
        kind = prop.get("type", "string")
        if kind == "boolean":
            if value not in (None, "", False):
                data[name] = value in (True, "on", "true", "1", "yes")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        value = value.strip() if isinstance(value, str) else value
        try:
            if kind == "integer":
                value = int(value)
            elif kind == "number":
                value = float(value)
        except (TypeError, ValueError):
            pass
        data[name] = value
    return data


def _message(error, prop: dict, ui: dict, name: str) -> str:
    custom = _hint(ui, name, "error")
    if custom and error.validator not in ("required",):
        return custom
    v = error.validator_value
    messages = {
        "required": _("This is required."),
        "type": _("Enter a valid value."),
        "minLength": _("Enter at least %(n)s characters.") % {"n": v},
        "maxLength": _("Enter at most %(n)s characters.") % {"n": v},
        "pattern": _("The format is not right."),
        "format": _("Enter a valid date.") if v == "date" else _("The format is not right."),
        "enum": _("Choose one of the options."),
        "minimum": _("Enter a number of at least %(n)s.") % {"n": v},
        "maximum": _("Enter a number of at most %(n)s.") % {"n": v},
        "const": _("This must be confirmed."),
    }
    return messages.get(error.validator, _("Enter a valid value."))


def validate(schema: dict, ui: dict, data: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem with `data`, by field name (all at once, never just the first)."""
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    problems: dict[str, list[str]] = {}
    properties = schema.get("properties", {})
    for error in validator.iter_errors(data):
        if error.validator == "required":
            names = [n for n in error.validator_value if n not in error.instance]
        else:
            names = [str(error.path[0])] if error.path else ["__all__"]
        for name in names:
            message = _message(error, properties.get(name, {}), ui, name)
            if message not in problems.setdefault(name, []):
                problems[name].append(message)
    # "notAfterToday" (our keyword; JSON Schema has no notion of today): a birth date cannot lie ahead
    for name, prop in properties.items():
        if prop.get("format") == "date" and prop.get("notAfterToday") and isinstance(data.get(name), str):
            try:
                if date.fromisoformat(data[name]) > clock.today_local():
                    problems.setdefault(name, []).append(_("The date cannot be in the future."))
            except ValueError:
                pass
    # ID numbers by GB 11643, appointment dates on the office's open days (portal.services.formchecks)
    from portal.services.formchecks import extra_problems

    for name, message in extra_problems(schema, data, problems).items():
        problems.setdefault(name, []).append(message)
    return problems


def check_schema(schema: dict) -> list[str]:
    """Problems with a schema a member of staff wrote (empty when it is a valid JSON Schema)."""
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [exc.message]
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        return [_("The form must be an object with properties.")]
    return []


def labelled(schema: dict, ui: dict, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, shown value) pairs for summaries, the staff view and the decision document."""
    out = []
    for f in form_fields(schema, ui, data):
        value = data.get(f.name)
        if value is None:
            continue
        if f.choices:
            value = dict(f.choices).get(str(value), value)
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        out.append((f.label, str(value)))
    return out
