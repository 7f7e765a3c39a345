"""The notices use the platform's search engine (search/engine.py) when no notice holds the query
as typed: ranked, forgiving and with the administrators' synonyms (issue #20)."""

import pytest
import time_machine
from django.urls import reverse

from search.models import Scope, SearchCount
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.usefixtures("synonyms_seeded")

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture
def notices(demo):
    with time_machine.travel(ISSUE, tick=False):
        wanted = publish(
            demo,
            make_tender(
                demo, issue=ISSUE, deadline=DEADLINE, title="金山区社区卫生服务中心医用冷柜维保服务项目"
            ),
        )
        other = publish(
            demo,
            make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="上海市第一中学计算机教室设备采购项目"),
        )
        yield wanted, other


def test_a_query_no_notice_holds_as_typed_finds_the_closest(client, notices):
    wanted, _ = notices
    # 冷柜维修 occurs nowhere (the notice says 冷柜维保): before, nothing was found.
    page = client.get(reverse("notices:index"), {"q": "医用冷柜维修"}).content.decode()
    assert 'id="closest-notices"' in page and wanted.title in page


def test_a_notice_synonym_finds_the_notice(client, notices):
    _, other = notices
    page = client.get(reverse("notices:index"), {"q": "电脑教室"}).content.decode()
    assert other.title in page


def test_notice_searches_that_find_something_are_counted(client, notices):
    client.get(reverse("notices:index"), {"q": "医用冷柜"})
    assert SearchCount.objects.get(scope=Scope.NOTICES, query="医用冷柜").count == 1


def test_the_notices_api_answers_a_query_nothing_holds_with_the_closest_notices(client, notices):
    """The API ranks with the same engine as the page (#20: one engine for notices and services)."""
    wanted, other = notices
    answer = client.get(reverse("api-notices"), {"q": "医用冷柜维修"}).json()
    assert answer["count"] == 0 and answer["closest"] is True
    assert answer["results"][0]["reference"] == wanted.reference
    exact = client.get(reverse("api-notices"), {"q": "医用冷柜"}).json()
    assert exact["closest"] is False and [r["reference"] for r in exact["results"]] == [wanted.reference]
