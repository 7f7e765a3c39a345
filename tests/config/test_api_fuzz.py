"""Schemathesis against drf-spectacular's OpenAPI schema, through Django's WSGI handler in this
process (no network): every operation gets a few generated requests, valid and invalid, and no
answer may be a server error or contradict the schema. Deterministic (derandomized) and bounded,
so it runs in the suite on both database passes."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), headers={"Accept": "application/vnd.oai.openapi+json"}
)


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """Django's own test client does this too: the WSGI handler would close the test's database
    connection (and its transaction) at the end of every request."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


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
def test_api_operation_answers_without_server_errors_and_as_documented(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
