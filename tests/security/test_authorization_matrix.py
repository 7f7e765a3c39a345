"""The authorization matrix: every page of the URL resolver and every operation of the OpenAPI
schema, asked by every role (tests/security/world.py), answered as tests/security/policy.py declares.

A URL or API operation without a declared rule fails `test_every_url_and_api_operation_has_a_rule`
with the line to add. Every request runs in its own savepoint, rolled back: a POST that changes
something (an approval decided, a tender submitted) does not change what the next role sees.
docs/security.md ("Authorization matrix") says how to extend it."""

import copy
import json
import re
from contextlib import ExitStack
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.security import matrix, policy
from tests.security.world import PINNED_NOW, ROLES, quick_pdf, world_build

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("authorization_matrix")]


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, name) of every URL pattern the project serves, in resolver order."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def api_operations():
    """ "METHOD /path/{param}/" of every operation in drf-spectacular's schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo and the matrix's extra objects, once for the module, inside a transaction rolled
    back at its end (as Django's TestCase.setUpClass does): each test's own transaction nests in it."""
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(time_machine.travel(PINNED_NOW, tick=False))
        stack.enter_context(mock.patch("reports.services.render_pdf", quick_pdf))
        stack.enter_context(mock.patch("reports.pdf.render_pdf", quick_pdf))
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            from workdays.services import calendar_year_provisional_ensure

            for year in (2026, 2027):
                calendar_year_provisional_ensure(year=year)
            built = world_build()
            built.clients = {role: _client_for(built.users.get(role)) for role in ROLES}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client_for(user) -> Client:
    from accounts.second_factor import SESSION_FLAG

    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SESSION_FLAG] = True  # they gave their second factor (the matrix is not about it)
        session.save()
    return client


def outcome(response) -> str:
    """What a person would notice: served, sent to sign in, refused, not found."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.split("?")[0].rstrip("/").endswith(("/accounts/login", "/admin/login")):
            return matrix.LOGIN
        return matrix.OK
    return {401: matrix.LOGIN, 403: matrix.DENY, 404: matrix.HIDDEN, 405: matrix.NOT_ALLOWED}.get(
        status, matrix.ERROR if status >= 500 else matrix.OK
    )


def ask(world, rule, role) -> str:
    client = world.clients[role]
    path = rule.path(world.objects)
    data = rule.data(world.objects) if callable(rule.data) else rule.data
    cookies = copy.deepcopy(client.cookies)  # a sign-out or a language choice is undone too
    with transaction.atomic():
        try:
            if rule.method == "GET":
                response = client.get(path, data or {})
            elif rule.api and not rule.multipart:
                response = client.generic(
                    rule.method, path, json.dumps(data or {}), content_type="application/json"
                )
            else:
                response = client.post(path, data or {})
        finally:
            transaction.set_rollback(True)
            client.cookies = cookies
    return outcome(response)


def test_every_url_and_api_operation_has_a_rule():
    missing = []
    operations = api_operations()
    schema_paths = {re.sub(r"\{[^}]+\}", "{}", operation.split(" ", 1)[1]) for operation in operations}
    for route, name in url_patterns():
        if route.startswith("api/") and name not in policy.PAGE_RULES:
            if "/" + re.sub(r"<[^>]+>", "{}", route) not in schema_paths:
                missing.append(
                    f"  API route {route!r} (name {name!r}) is not in the OpenAPI schema: describe it "
                    "(drf-spectacular) so its operations get rules, or declare it with page()"
                )
            continue
        if matrix.covered(route, name):
            continue
        if not name:
            missing.append(f"  page {route!r} has no name: give it name= in its urls.py, then declare it")
        else:
            missing.append(
                f"  page {route!r} (name {name!r}): add  page({name!r}, ...)  to tests/security/policy.py"
            )
    for operation in operations:
        if operation not in policy.API_RULES:
            missing.append(f"  API {operation!r}: add  api({operation!r}, ...)  to tests/security/policy.py")
    assert not missing, (
        "These URLs have no declared authorization rule; declare who may do what (docs/security.md, "
        "'Authorization matrix'):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("key", sorted(policy.ALL_RULES), ids=str)
def test_each_role_gets_the_declared_answer(world, key):
    rule = policy.ALL_RULES[key]
    observed = {role: ask(world, rule, role) for role in ROLES}
    wrong = {role: (rule.expected(role), got) for role, got in observed.items() if got != rule.expected(role)}
    assert not wrong, (
        f"{rule.method} {rule.path(world.objects)} ({key}):\n"
        + "\n".join(f"  {role}: declared {want}, got {got}" for role, (want, got) in wrong.items())
        + "\nobserved: "
        + matrix.suggest(observed)
    )


def _mine_notices(world, role):
    reference = world.objects["tender_awarded"].reference
    return world.clients[role].get(f"/api/awards/tenders/{reference}/mine/").json()["notices"]


def _challenge_reasons_seen(world, role):
    reference = world.objects["tender_challenged"].reference
    body = world.clients[role].get(f"/api/awards/tenders/{reference}/after/").json()
    return [c["reasons"] for c in body["challenges"]]


def _staff_export(world, role):
    return world.clients[role].get("/exports/staff-applications.csv?status=all").content.decode()


def test_a_bidder_reads_only_its_own_result_notice_and_scores(world):
    """The matrix sees both bidders served; what each is served must be its own notice only."""
    for role in ("supplier_a", "supplier_b"):
        notices = _mine_notices(world, role)
        own = world.users[role].memberships.first().organisation.name
        assert notices and {n["supplier"] for n in notices} == {own}, role


def test_a_challenge_is_read_by_its_challenger_and_the_buyer_not_by_other_bidders(world):
    reasons = world.objects["challenge"].reasons  # supplier A's pending challenge
    assert reasons in _challenge_reasons_seen(world, "supplier_a")
    assert reasons in _challenge_reasons_seen(world, "officer")
    for role in ("supplier_b", "citizen", "officer_other"):
        assert reasons not in _challenge_reasons_seen(world, role), role


def test_the_staff_export_holds_only_the_own_departments_applications(world):
    reference = world.objects["application"].reference
    assert reference in _staff_export(world, "department_staff")
    for role in ("department_other", "approver", "supervisor"):
        assert reference not in _staff_export(world, role), role


def test_the_officers_export_holds_only_their_organisations_tenders(world):
    reference = world.objects["tender_draft"].reference

    def export(role):
        return world.clients[role].get("/exports/officer-tenders.csv").content.decode()

    assert reference in export("officer") and reference in export("buyer_officer")
    assert reference not in export("officer_other")
