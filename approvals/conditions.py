"""Step conditions: a small JSON language evaluated without `eval`, Decimal-aware.

    {"field": "budget", "op": ">=", "value": "4000000"}
    {"all": [cond, ...]}   {"any": [cond, ...]}   {"not": cond}

`op` is one of == != > >= < <= in. Numbers (and strings that are numbers) compare as Decimal,
so "4000000.00" equals 4000000 and no float rounding decides a threshold; other values compare
as text (ISO dates order correctly as text). A field the subject does not provide is an error,
not a silent "false": a misspelt field must not quietly skip a director's sign-off."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from approvals.exceptions import InvalidCondition

OPERATORS = ("==", "!=", ">", ">=", "<", "<=", "in")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    left_number, right_number = _number(left), _number(right)
    if left_number is not None and right_number is not None:
        return left_number, right_number
    return str(left), str(right)


def _equal(left: Any, right: Any) -> bool:
    return left == right


def validate(condition: Any) -> None:
    """Raise InvalidCondition when `condition` is not in the language (None means "always")."""
    if condition is None:
        return
    if not isinstance(condition, dict):
        raise InvalidCondition(_("A condition must be an object."))
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        parts = condition[key]
        if len(condition) != 1 or not isinstance(parts, list) or not parts:
            raise InvalidCondition(_('"all" and "any" take a non-empty list of conditions and nothing else.'))
        for part in parts:
            validate(part)
        return
    if "not" in condition:
        if len(condition) != 1:
            raise InvalidCondition(_('"not" takes one condition and nothing else.'))
        validate(condition["not"])
        return
    if set(condition) != {"field", "op", "value"}:
        raise InvalidCondition(_('A comparison has exactly "field", "op" and "value".'))
    if not isinstance(condition["field"], str) or not condition["field"]:
        raise InvalidCondition(_("A comparison's field must be a name."))
    if condition["op"] not in OPERATORS:
        raise InvalidCondition(
            _("Unknown operator %(op)s; use one of %(ops)s.")
            % {"op": condition["op"], "ops": " ".join(OPERATORS)}
        )
    if condition["op"] == "in" and not isinstance(condition["value"], list):
        raise InvalidCondition(_('"in" compares with a list of values.'))


def evaluate(condition: dict | None, data: dict[str, Any]) -> bool:
    """Whether `condition` holds for the subject's data (None: always)."""
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(part, data) for part in condition["all"])
    if "any" in condition:
        return any(evaluate(part, data) for part in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], data)
    field, op, expected = condition["field"], condition["op"], condition["value"]
    if field not in data:
        raise InvalidCondition(
            _("The condition uses %(field)s, which this subject does not provide.") % {"field": field}
        )
    actual = data[field]
    if op == "in":
        return any(_equal(*_comparable(actual, option)) for option in expected)
    left, right = _comparable(actual, expected)
    if op in ("==", "!="):
        return (left == right) == (op == "==")
    if type(left) is not type(right):  # pragma: no cover - _comparable returns a pair of one type
        return False
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[op]


def _bounds(condition: dict) -> dict[str, list[tuple[str, Decimal]]]:
    """Numeric comparisons that must all hold (the comparison itself, or inside an "all")."""
    if "all" in condition:
        merged: dict[str, list[tuple[str, Decimal]]] = {}
        for part in condition["all"]:
            for field, limits in _bounds(part).items():
                merged.setdefault(field, []).extend(limits)
        return merged
    if "field" in condition and condition["op"] in (">", ">=", "<", "<=", "=="):
        number = _number(condition["value"])
        if number is not None:
            return {condition["field"]: [(condition["op"], number)]}
    return {}


def unsatisfiable(condition: dict | None) -> bool:
    """True when no numeric value can meet the condition's conjunction of bounds
    (e.g. budget >= 4,000,000 and budget < 1,000,000): such a step can never be reached."""
    if condition is None:
        return False
    for limits in _bounds(condition).values():
        low, low_strict, high, high_strict = None, False, None, False
        for op, number in limits:
            if op in (">", ">=", "=="):
                strict = op == ">"
                if low is None or number > low or (number == low and strict):
                    low, low_strict = number, strict
            if op in ("<", "<=", "=="):
                strict = op == "<"
                if high is None or number < high or (number == high and strict):
                    high, high_strict = number, strict
        if (
            low is not None
            and high is not None
            and (low > high or (low == high and (low_strict or high_strict)))
        ):
            return True
    return False
