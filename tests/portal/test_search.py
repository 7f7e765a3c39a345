"""Search people can use (issue #20): ranked, forgiving, with synonyms, popular searches and
"did you mean", for services (and, with the same engine, for notices: tests/tenders/test_search_engine.py)."""

from pathlib import Path

import pytest
from django.urls import reverse

from portal.selectors import service_catalogue
from search.models import Scope, SearchCount, SynonymGroup

pytestmark = pytest.mark.usefixtures("synonyms_seeded")

QUERIES = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "search_queries.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_recall_list_holds_fifty_everyday_queries():
    assert len(QUERIES) >= 50
    assert len({q for q, _ in QUERIES}) == len(QUERIES)


def test_every_everyday_query_finds_its_service_in_the_top_three(demo):
    misses = []
    for query, code in QUERIES:
        top = [s.code for s in service_catalogue(query=query)[:3]]
        if code not in top:
            misses.append((query, code, top))
    assert not misses, misses


def test_a_query_need_not_hold_every_bigram(demo):
    # 证换 occurs nowhere: before, every bigram had to match and nothing was found.
    assert service_catalogue(query="驾驶证换证")[0].code == "driving-licence-renewal"


def test_a_common_word_alone_does_not_find_unrelated_services(demo):
    assert "marriage-registration" not in [s.code for s in service_catalogue(query="营业执照")]
    assert service_catalogue(query="婚因登记") == []


def test_a_synonym_group_an_administrator_adds_takes_effect(demo, admin_client):
    assert service_catalogue(query="摆摊") == []
    response = admin_client.post(
        reverse("admin:search_synonymgroup_add"),
        {"words": "摆摊\n食品经营许可", "scope": "services", "note": ""},
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(words__startswith="摆摊").exists()
    assert service_catalogue(query="摆摊")[0].code == "food-business-licence"


def test_did_you_mean_offers_the_close_service_name(client, demo):
    page = client.get(reverse("portal:catalogue"), {"q": "婚因登记"}).content.decode()
    assert 'id="did-you-mean"' in page
    assert "婚姻登记" in page or "结婚登记" in page
    # A query found as typed offers nothing.
    assert (
        'id="did-you-mean"' not in client.get(reverse("portal:catalogue"), {"q": "结婚登记"}).content.decode()
    )


def test_popular_searches_come_from_searches_that_found_something(client, demo):
    for _ in range(3):
        client.get(reverse("portal:catalogue"), {"q": "公积金"})
    client.get(reverse("portal:catalogue"), {"q": "毫无结果的查询词"})
    client.get(reverse("portal:catalogue"), {"q": "310101199001011234"})
    assert SearchCount.objects.get(scope=Scope.SERVICES, query="公积金").count == 3
    assert not SearchCount.objects.filter(query__in=["毫无结果的查询词", "310101199001011234"]).exists()
    page = client.get(reverse("portal:catalogue")).content.decode()
    assert 'id="popular-searches"' in page and "?q=%E5%85%AC%E7%A7%AF%E9%87%91" in page
    # An administrator can hide one.
    SearchCount.objects.filter(query="公积金").update(hidden=True)
    assert 'id="popular-searches"' not in client.get(reverse("portal:catalogue")).content.decode()


def test_every_department_that_runs_a_service_is_in_the_filter(client, demo):
    page = client.get(reverse("portal:catalogue")).content.decode()
    assert "上海市教育局" in page  # a buyer organisation that runs school enrolment


def test_the_api_uses_the_same_ranking(client, demo):
    codes = [s["code"] for s in client.get("/api/portal/services/", {"q": "开公司"}).json()["results"]]
    assert codes[0] == "enterprise-establishment"
