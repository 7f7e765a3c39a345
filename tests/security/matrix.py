"""The machinery of the authorization matrix's policy (tests/security/policy.py): the declared answer of every page and API operation to every role of the
authorization matrix (tests/security/test_authorization_matrix.py; roles in tests/security/world.py).

One rule per page (by URL name) and per API operation ("METHOD /api/path/{param}/" as in the OpenAPI
schema). A rule says which request is made (method, the objects its URL names, a body) and what each
role gets:

    OK           served (2xx, a redirect elsewhere than sign-in, a form's own 400)
    LOGIN        sent to sign in (302 to the login page; 401 from the API)
    DENY         refused, 403
    HIDDEN       404: the object does not exist for this person (other people's bids, applications)
    NOT_ALLOWED  405 (the method is not served to this role)

    page("tenders:edit", args=lambda o: {"pk": o["tender_draft"].pk}, default=DENY, ok=TENDER_STAFF)

`default` is every signed-in role's answer unless listed in ok/deny/hidden/login/not_allowed;
`anonymous` is LOGIN unless the default is OK (then OK) or it is given. Objects (o["..."]) come from
tests/security/world.py. docs/security.md ("Authorization matrix") explains how to add a rule."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

OK, LOGIN, DENY, HIDDEN, NOT_ALLOWED, ERROR = "ok", "login", "403", "404", "405", "500"

from tests.security.world import ROLES  # noqa: E402

SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")
CITIZENS = ("citizen", "citizen_other")
SUPPLIERS = ("supplier_a", "supplier_b")
OFFICERS = ("officer", "buyer_officer", "officer_other")
# Procurement staff of the demo tenders: the agency's and the buyer's officers.
TENDER_STAFF = ("officer", "buyer_officer")
EXPERTS = ("expert_on", "expert_off")
DEPARTMENTS = ("department_staff", "department_other")
# Roles that need a second factor: officers, approvers, supervisors, custodians, experts, staff, admin.
STAFF = tuple(r for r in SIGNED_IN if r not in CITIZENS + SUPPLIERS)


@dataclass(frozen=True)
class Rule:
    key: str
    api: bool
    method: str
    route: Callable[[dict[str, Any]], str]
    answers: dict[str, str] = field(default_factory=dict)
    data: Any = None
    why: str = ""
    multipart: bool = False  # an API operation taking files: the body goes as multipart/form-data

    def path(self, objects: dict[str, Any]) -> str:
        return self.route(objects)

    def expected(self, role: str) -> str:
        return self.answers[role]


def _answers(default, anonymous, ok, deny, hidden, login, not_allowed) -> dict[str, str]:
    answers = {role: default for role in SIGNED_IN}
    answers["anonymous"] = anonymous or (OK if default == OK else LOGIN)
    for outcome, roles in (
        (OK, ok),
        (DENY, deny),
        (HIDDEN, hidden),
        (LOGIN, login),
        (NOT_ALLOWED, not_allowed),
    ):
        for role in roles:
            assert role in ROLES, f"unknown role {role!r}"
            answers[role] = outcome
    return answers


PAGE_RULES: dict[str, Rule] = {}
API_RULES: dict[str, Rule] = {}


def page(
    name: str,
    *,
    args: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    method: str = "GET",
    default: str = OK,
    anonymous: str | None = None,
    ok: Iterable[str] = (),
    deny: Iterable[str] = (),
    hidden: Iterable[str] = (),
    login: Iterable[str] = (),
    not_allowed: Iterable[str] = (),
    data: Any = None,
    query: str = "",
    why: str = "",
    variant: str = "",
) -> None:
    """`variant` names a second request to the same page (another list to export, another object):
    the rule's key is then "name [variant]"."""
    key = f"{name} [{variant}]" if variant else name
    assert key not in PAGE_RULES, f"two rules for {key}"

    def route(objects):
        return reverse(name, kwargs=args(objects) if args else None) + query

    PAGE_RULES[key] = Rule(
        key,
        False,
        method,
        route,
        _answers(default, anonymous, ok, deny, hidden, login, not_allowed),
        data,
        why,
    )


def api(
    operation: str,
    *,
    args: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    default: str = OK,
    anonymous: str | None = None,
    ok: Iterable[str] = (),
    deny: Iterable[str] = (),
    hidden: Iterable[str] = (),
    login: Iterable[str] = (),
    not_allowed: Iterable[str] = (),
    data: Any = None,
    query: str = "",
    why: str = "",
    multipart: bool = False,
) -> None:
    assert operation not in API_RULES, f"two rules for {operation}"
    method, template = operation.split(" ", 1)

    def route(objects):
        return template.format(**(args(objects) if args else {})) + query

    API_RULES[operation] = Rule(
        operation,
        True,
        method,
        route,
        _answers(default, anonymous, ok, deny, hidden, login, not_allowed),
        data,
        why,
        multipart,
    )


# Pages served by whole URL prefixes whose own machinery guards every page, checked on a sample.
# The Django admin: `admin.site.admin_view` sends anyone who is not active staff to its sign-in.
PREFIX_RULES = {"admin/": "admin"}


def covered(route: str, name: str) -> bool:
    if any(route.startswith(prefix) for prefix in PREFIX_RULES):
        return True
    if route.startswith("api/") and name not in PAGE_RULES:
        # API operations are declared by operation (API_RULES, checked against the schema);
        # the routes themselves only need to be in the schema, which the other check enforces.
        return True
    return name in PAGE_RULES or any(key.startswith(f"{name} [") for key in PAGE_RULES)


def suggest(observed: dict[str, str]) -> str:
    """The observed answers as rule arguments: what to paste once they are what the policy wants."""
    signed_in = [observed[r] for r in SIGNED_IN]
    default = max(set(signed_in), key=signed_in.count)
    names = {OK: "ok", DENY: "deny", HIDDEN: "hidden", LOGIN: "login", NOT_ALLOWED: "not_allowed"}
    constant = {
        OK: "OK",
        DENY: "DENY",
        HIDDEN: "HIDDEN",
        LOGIN: "LOGIN",
        NOT_ALLOWED: "NOT_ALLOWED",
        ERROR: "ERROR",
    }
    parts = [f"default={constant[default]}"]
    anonymous = observed["anonymous"]
    if anonymous != (OK if default == OK else LOGIN):
        parts.append(f"anonymous={constant[anonymous]}")
    for outcome, keyword in names.items():
        roles = [r for r in SIGNED_IN if observed[r] == outcome and outcome != default]
        if roles:
            parts.append(f"{keyword}=({', '.join(repr(r) for r in roles)},)")
    errors = [r for r in ROLES if observed[r] == ERROR]
    if errors:
        parts.append(f"# server errors for {errors}")
    return ", ".join(parts)
