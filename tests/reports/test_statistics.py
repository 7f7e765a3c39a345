"""The procurement dashboards count exactly what a small constructed set of tenders holds: by
method, category, region and month, savings, bids, small-enterprise share, failures and time to
award; the tallies kept on every save equal a rebuild from the records; filters narrow them."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from procurement.methods import procurement_methods_ensure
from reports import statistics
from reports.models import TenderFact, TenderTally
from reports.statistics import AwardFigures, StatisticsFilters, procurement_figures
from tenders.models import Tender

BEIJING = ZoneInfo("Asia/Shanghai")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.fixture
def constructed(demo, monkeypatch):
    """Six public tenders and a draft of two buyers. Awards and bid counts come from the one
    source the statistics read them through (`award_of`, `bids_received`), given here."""
    awards = {
        "ST-1": AwardFigures(Decimal("900000.00"), sme=True, decided_at=_at("2026-03-21 10:00")),
        "ST-2": AwardFigures(Decimal("150000.00"), sme=False, decided_at=_at("2026-04-30 10:00")),
    }
    bids = {"ST-1": 5, "ST-2": 3, "ST-3": 2}
    monkeypatch.setattr(
        statistics, "award_of", lambda t: awards.get(t.reference) if t.status == "awarded" else None
    )
    monkeypatch.setattr(statistics, "bids_received", lambda t: bids.get(t.reference))
    methods = procurement_methods_ensure()
    officer, buyer, other = demo.users["officer"], demo.orgs["buyer"], demo.orgs["agency"]

    def tender(reference, *, method, category, region, budget, published, status, buyer=buyer, reason=""):
        return Tender.objects.create(
            reference=reference,
            buyer=buyer,
            method=methods[method],
            title=f"统计测试 {reference}",
            budget=Decimal(budget),
            created_by=officer,
            category_code=category,
            region=region,
            status=status,
            published_at=_at(published) if published else None,
            cancel_reason=reason,
        )

    tender(
        "ST-1",
        method="open_tender",
        category="A0201",
        region="310115",
        budget="1000000.00",
        published="2026-03-01 09:00",
        status="awarded",
    )
    tender(
        "ST-2",
        method="open_tender",
        category="C1601",
        region="310115",
        budget="200000.00",
        published="2026-03-31 23:30",
        status="awarded",
    )  # still March in Beijing
    tender(
        "ST-3",
        method="competitive_consultation",
        category="C1601",
        region="310104",
        budget="300000.00",
        published="2026-04-02 09:00",
        status="failed",
        reason="提交投标文件的供应商不足三家",
    )
    tender(
        "ST-4",
        method="enquiry",
        category="A0201",
        region="310104",
        budget="50000.00",
        published="2026-04-10 09:00",
        status="failed",
        reason="提交投标文件的供应商不足三家",
    )
    tender(
        "ST-5",
        method="open_tender",
        category="B0101",
        region="310115",
        budget="2000000.00",
        published="2026-05-05 09:00",
        status="published",
    )
    tender(
        "ST-6",
        method="enquiry",
        category="A0201",
        region="320000",
        budget="80000.00",
        published="2026-05-06 09:00",
        status="cancelled",
        buyer=other,
        reason="需求变更",
    )
    tender(
        "ST-7",
        method="open_tender",
        category="A0201",
        region="310115",
        budget="999.00",
        published=None,
        status="draft",
    )
    return buyer, other


PERIOD = StatisticsFilters(month_from=_at("2026-01-01 00:00").date(), month_to=_at("2026-06-01 00:00").date())


@pytest.mark.django_db
def test_the_figures_of_a_constructed_set_are_exact(constructed):
    figures = procurement_figures(filters=PERIOD)
    total = figures.total
    assert total.tenders == 6  # the draft is not public and not counted
    assert total.budget == Decimal("3630000.00")
    assert total.awarded == 2
    assert total.savings == Decimal("150000.00")  # 1,200,000 budget awarded for 1,050,000
    assert total.savings_rate == Decimal("12.5")
    assert total.bids_per_tender == Decimal("3.3")  # 10 bids over 3 tenders opened
    assert (total.sme_awarded, total.sme_share, total.sme_value_share) == (
        1,
        Decimal("50.0"),
        Decimal("85.7"),
    )
    assert total.days_to_award == Decimal("25.0")  # 20 days (ST-1) and 30 days (ST-2)

    by = {dim: {r.key: (r.tenders, r.budget) for r in rows} for dim, rows in figures.by_dimension.items()}
    assert by["method"] == {
        "open_tender": (3, Decimal("3200000.00")),
        "competitive_consultation": (1, Decimal("300000.00")),
        "enquiry": (2, Decimal("130000.00")),
    }
    assert by["category"] == {
        "A": (3, Decimal("1130000.00")),
        "B": (1, Decimal("2000000.00")),
        "C": (2, Decimal("500000.00")),
    }
    assert by["region"] == {
        "310115": (3, Decimal("3200000.00")),
        "310104": (2, Decimal("350000.00")),
        "320000": (1, Decimal("80000.00")),
    }
    assert by["failure"] == {"提交投标文件的供应商不足三家": (2, Decimal("350000.00"))}
    assert by["status"]["cancelled"] == (1, Decimal("80000.00"))
    months = {m.strftime("%Y-%m"): row.tenders for m, row in figures.by_month}
    assert months == {"2026-01": 0, "2026-02": 0, "2026-03": 2, "2026-04": 2, "2026-05": 2, "2026-06": 0}


@pytest.mark.django_db
def test_the_organisation_and_period_filters_narrow_the_figures(constructed):
    buyer, other = constructed
    only_other = procurement_figures(
        filters=StatisticsFilters(PERIOD.month_from, PERIOD.month_to, (other.pk,))
    )
    assert (only_other.total.tenders, only_other.total.budget) == (1, Decimal("80000.00"))
    april = procurement_figures(
        filters=StatisticsFilters(_at("2026-04-01 00:00").date(), _at("2026-04-01 00:00").date(), (buyer.pk,))
    )
    assert april.total.tenders == 2 and [m for m, _row in april.by_month] == [_at("2026-04-01 00:00").date()]


@pytest.mark.django_db
def test_tallies_follow_every_change_and_equal_a_rebuild(constructed):
    tender = Tender.objects.get(reference="ST-5")
    tender.status = "cancelled"
    tender.cancel_reason = "预算调整"
    tender.save()
    Tender.objects.get(reference="ST-7").delete()
    kept = {
        (t.dimension, t.month, t.buyer_id, t.key): tuple(getattr(t, m) for m in statistics.MEASURES)
        for t in TenderTally.objects.all()
        if t.tenders  # a row whose tenders all moved away holds zeros until the next rebuild
    }
    statistics.statistics_rebuild()
    rebuilt = {
        (t.dimension, t.month, t.buyer_id, t.key): tuple(getattr(t, m) for m in statistics.MEASURES)
        for t in TenderTally.objects.all()
    }
    assert kept == rebuilt
    assert TenderFact.objects.filter(tender__reference__startswith="ST-").count() == 6
    statuses = {r.key: r.tenders for r in procurement_figures(filters=PERIOD).by_dimension["status"]}
    # (the demo's own tenders are published now, after this period)
    assert statuses == {"awarded": 2, "failed": 2, "cancelled": 2}


@pytest.mark.django_db
def test_the_public_dashboard_shows_the_figures_in_charts_and_tables(client, constructed):
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        page = client.get(reverse("statistics:dashboard"), {"month_from": "2026-01", "month_to": "2026-06"})
    html = page.content.decode()
    assert page.status_code == 200
    for chart in (
        "chart-tender-months",
        "chart-tender-methods",
        "chart-tender-categories",
        "chart-tender-regions",
        "chart-failures",
    ):
        assert f'id="{chart}"' in html
    assert 'data-key="open_tender"' in html and "¥3,200,000.00" in html
    assert 'id="challenges-table"' in html  # counted from the awards app's challenges (none in this period)


@pytest.mark.django_db
def test_a_reversed_period_is_refused_with_a_message(client, constructed):
    page = client.get(reverse("statistics:dashboard"), {"month_from": "2026-06", "month_to": "2026-01"})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()


@pytest.mark.django_db
def test_the_officer_dashboard_is_for_officers_and_counts_their_drafts(client, demo, constructed):
    client.force_login(demo.users["citizen1"])
    assert client.get(reverse("statistics:officer")).status_code == 403
    client.force_login(demo.users["officer"])
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        page = client.get(reverse("statistics:officer"), {"month_from": "2026-01", "month_to": "2026-06"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="drafts"' in html


@pytest.mark.django_db
def test_challenges_are_counted_by_outcome_for_the_period_and_buyer(demo):
    """The demo's pending challenge (awards/demo_after.py) counts in its month and for its buyer only."""
    from django.test import override_settings

    from awards import demo as awards_demo
    from awards.models import Challenge
    from evaluation import demo as evaluation_demo
    from reports.statistics import StatisticsFilters, challenge_outcomes

    with (
        override_settings(EVALUATION_DEMO_TENDER=True),
        time_machine.travel("2026-10-08 10:00 +0800", tick=False),
    ):
        evaluation_demo.load(demo)
        awards_demo.load(demo)
    challenge = Challenge.objects.select_related("tender").get()
    month = timezone.localtime(challenge.filed_at).date().replace(day=1)
    period = StatisticsFilters(month_from=month, month_to=month)
    assert [n for _outcome, n in challenge_outcomes(period)] == [1, 0, 0]  # awaiting, upheld, dismissed
    other_buyer = StatisticsFilters(
        month_from=month, month_to=month, buyer_ids=(challenge.tender.buyer_id + 10_000,)
    )
    assert [n for _outcome, n in challenge_outcomes(other_buyer)] == [0, 0, 0]
    earlier = month.replace(year=month.year - 1)
    assert [n for _o, n in challenge_outcomes(StatisticsFilters(month_from=earlier, month_to=earlier))] == [
        0,
        0,
        0,
    ]
