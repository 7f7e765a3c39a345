"""OCDS tests build tenders through the tenders services (tests/tenders/factories.py); the sealed-bid
key guards are tested in tests/bidding and left out here, as tests/tenders does."""

import pytest

from reports.ocds import awards
from tenders import hooks


@pytest.fixture(autouse=True)
def without_key_guards(monkeypatch):
    monkeypatch.setattr(hooks, "publish_guards", [])
    monkeypatch.setattr(hooks, "before_notice", [])
    monkeypatch.setattr(hooks, "deadline_moved", [])


@pytest.fixture
def award_facts(monkeypatch):
    """Register constructed award facts for tenders: `award_facts[tender.pk] = ProcessFacts(...)`."""
    facts: dict[int, awards.ProcessFacts] = {}
    monkeypatch.setattr(awards, "facts_sources", [lambda tender: facts.get(tender.pk, awards.ProcessFacts())])
    return facts
