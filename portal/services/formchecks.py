"""Checks of application forms that JSON Schema cannot express, driven by keywords in the schema:

- `"format": "cn-resident-id"`: a citizen ID number valid by GB 11643 (check digit, birth date,
  region code), see `portal.services.realname`;
- `"appointmentOffice": "<field>"` on a date field: the day must be one the office named by
  `<field>` opens (a working day of the legal calendar and one of the office's weekdays).

Called by `portal.formschema.validate` for every field the schema's own rules left without a problem,
so each field gets one clear message."""

from datetime import date
from typing import Any

from portal.services.realname import id_number_problem

ID_FORMAT = "cn-resident-id"


def extra_problems(schema: dict, data: dict[str, Any], problems: dict[str, list]) -> dict[str, str]:
    """Field name → message, for fields without a problem yet."""
    found: dict[str, str] = {}
    for name, prop in schema.get("properties", {}).items():
        value = data.get(name)
        if name in problems or not isinstance(value, str) or not value.strip():
            continue
        if prop.get("format") == ID_FORMAT:
            message = id_number_problem(value)
            if message:
                found[name] = message
        office_field = prop.get("appointmentOffice")
        if office_field and prop.get("format") == "date":
            message = _office_day_problem(data.get(office_field), value)
            if message:
                found[name] = message
    return found


def _office_day_problem(office_code: Any, value: str) -> str | None:
    from portal.services.appointments import office_day_problem

    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None  # the "date" format already says so
    return office_day_problem(office_code=str(office_code or ""), day=day)
