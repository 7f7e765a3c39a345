"""Schemathesis as signed-in people, not only anonymously (tests/config/test_api_fuzz.py): every
operation of the OpenAPI schema gets a few generated requests, valid and invalid, sent in turn with
the API token of a citizen, a supplier's administrator, a procurement officer and the platform
administrator (the demo people): one role per generated example, so every operation is asked by
each role once. No answer may be a server error. Derandomized and bounded (4 examples an operation,
as the anonymous run), so it runs in the suite on both database passes."""

import itertools

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from accounts.services import api_token_issue

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), headers={"Accept": "application/vnd.oai.openapi+json"}
)

ROLES = ("citizen1", "supplier1", "officer", "admin")


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """As in test_api_fuzz.py: the WSGI handler would otherwise close the test's connection."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def role_headers(demo_people):
    """The roles' Authorization headers, in turn: made once per operation, so consecutive generated
    examples of one operation go out as the next role (deterministic: the examples are derandomized)."""
    return itertools.cycle(
        [{"Authorization": f"Bearer {api_token_issue(user=demo_people.users[name]).key}"} for name in ROLES]
    )


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_answers_signed_in_people_without_server_errors(case, role_headers):
    case.call_and_validate(headers=next(role_headers), checks=[not_a_server_error])
