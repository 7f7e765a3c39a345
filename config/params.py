"""Whole numbers read from a query string or a posted form: one place that refuses what is not a
number, or is outside what a database integer holds, with a message instead of a server error."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError

DB_INT_MAX = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER


class BadParameter(DomainError):
    code = "bad_parameter"


def int_param(value: Any, *, default: int, name: str, minimum: int = 0, maximum: int = DB_INT_MAX) -> int:
    """`value` as an int in [minimum, maximum]; `default` when it is missing or empty; BadParameter
    (400, naming `name`) otherwise."""
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise BadParameter(
            _("“%(name)s” must be a whole number from %(minimum)d to %(maximum)d.")
            % {"name": name, "minimum": minimum, "maximum": maximum}
        )
    return number
