"""The Atom feed is valid Atom (RFC 4287 §4.1.1): the feed and every entry name an author, the
entry's being whoever conducts the procurement."""

from xml.etree import ElementTree

import pytest
import time_machine
from django.test import Client

from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_and_each_entry_name_an_author(demo):
    with time_machine.travel(at("2026-11-02", "09:00"), tick=False):
        tender = publish(demo, make_tender(demo, issue=at("2026-11-02", "09:00"), deadline=at("2026-12-01")))
        feed = ElementTree.fromstring(Client().get("/notices/feed/").content)  # noqa: S314 (our own feed)
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    entries = [e for e in feed.findall(f"{ATOM}entry") if tender.title in e.find(f"{ATOM}title").text]
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}author/{ATOM}name").text == (tender.agency or tender.buyer).name
