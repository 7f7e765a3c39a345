"""Tenders' tests judge tenders' own rules: the sealed-bid key guards that bidding registers in
`tenders.hooks` (custodians' opening keys and confirmations) are tested in tests/bidding, and are
left out here so a tender can be published without running the key ceremony."""

import pytest

from tenders import hooks


@pytest.fixture(autouse=True)
def without_key_guards(monkeypatch):
    monkeypatch.setattr(hooks, "publish_guards", [])
    monkeypatch.setattr(hooks, "before_notice", [])
    monkeypatch.setattr(hooks, "deadline_moved", [])


@pytest.fixture
def celery_eager(monkeypatch):
    """Run Celery tasks in the test's process even when REDIS_URL points at a broker (the
    PostgreSQL/Redis pass): the mail the tasks send is what these tests look at."""
    from config.celery import app

    # The app reads Django's settings under the CELERY_ namespace, so the prefixed keys are the ones read.
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    monkeypatch.setitem(app.conf, "CELERY_TASK_EAGER_PROPAGATES", True)
