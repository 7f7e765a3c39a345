"""Statistics: load 1,000,000 public tenders and their statistics facts into a temporary PostgreSQL
database (COPY), build the tallies from the facts (`reports.statistics.tally_rebuild`), then time
the public dashboard (the figures alone, and the rendered page for the default period, a longer
period and one buyer) as p50/p95 and as a ratio against a primary-key lookup measured in the same
run. Target: dashboard page p95 < 200 ms (printed, not asserted).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.statistics_bench
    (STATS_BENCH_COUNT=100000 for a quick run)

The facts are written as `tender_fact_refresh` keeps them in steady use (awards, bids, SME
winners and days to award drawn at random), since a million tenders are not run through
opening and evaluation here.
"""

import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.tenders_bench import METHODS, _database, _setup, _time

COUNT = int(os.environ.get("STATS_BENCH_COUNT", "1000000"))
SAMPLES = int(os.environ.get("STATS_BENCH_SAMPLES", "100"))
REGIONS = [f"3101{n:02d}" for n in (1, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18, 20, 51)]
STATUSES = ["published"] * 4 + ["awarded"] * 4 + ["failed", "cancelled"]
REASONS = ["提交投标文件的供应商不足三家", "符合资格条件的供应商不足三家", "投标报价均超过采购预算"]


def _load(count: int, rng: random.Random) -> list[int]:
    """COPY `count` tenders and one fact each; returns the buyers' ids."""
    from django.db import connection

    from accounts.constants import OrganisationKind
    from accounts.models import Organisation, User
    from procurement.methods import procurement_methods_ensure

    user = User.objects.create(username="bench")
    buyers = [
        Organisation.objects.create(
            name=f"上海市第{n}采购单位", kind=OrganisationKind.BUYER, region="310000"
        ).pk
        for n in range(1, 65)
    ]
    methods = {code: m.pk for code, m in procurement_methods_ensure().items()}
    now = datetime.now(UTC)
    # Every NOT NULL column (Django sets no database defaults), from the model's own defaults,
    # so new tender fields do not break the copy.
    from tenders.models import Tender

    defaults = {
        f.column: f.get_default()
        for f in Tender._meta.concrete_fields
        if not f.null and not f.primary_key and f.column not in ("created_at", "updated_at")
    }
    for column, value in defaults.items():
        if isinstance(value, (dict, list)):
            defaults[column] = json.dumps(value)
        elif hasattr(value, "value"):
            defaults[column] = value.value
    varying = (
        "reference",
        "buyer_id",
        "method_id",
        "title",
        "category_code",
        "region",
        "budget",
        "status",
        "created_by_id",
        "cancel_reason",
        "bid_deadline",
        "created_at",
        "updated_at",
        "published_at",
    )
    fixed = [c for c in defaults if c not in varying]
    tender_columns = ", ".join(varying + tuple(fixed))
    fixed_values = tuple(defaults[c] for c in fixed)
    fact_columns = (
        "tender_id, buyer_id, month, method, category, region, status, budget, bids, award_amount,"
        " award_sme, award_days, failure_reason"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with (
            raw.cursor() as copy_cursor,
            copy_cursor.copy(f"COPY tenders_tender ({tender_columns}) FROM STDIN") as copy,
        ):
            for n in range(1, count + 1):
                published = now - timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
                status = rng.choice(STATUSES)
                method = rng.choice(METHODS)
                copy.write_row(
                    (
                        f"YZ-S-{n:07d}",
                        rng.choice(buyers),
                        methods[method],
                        f"统计基准项目{n}",
                        f"{rng.choice('AABC')}{rng.randrange(1, 20):02d}",
                        rng.choice(REGIONS),
                        Decimal(rng.randrange(10_000, 50_000_000)),
                        status,
                        user.pk,
                        rng.choice(REASONS) if status == "failed" else "",
                        published + timedelta(days=20),
                        published,
                        published,
                        published,
                    )
                    + fixed_values
                )
        print(f"copied {count:,} tenders in {time.perf_counter() - started:,.0f} s", flush=True)
        started = time.perf_counter()
        import psycopg

        with (
            psycopg.connect(os.environ["DATABASE_URL"]) as reader,
            reader.cursor(name="tenders") as read,
            raw.cursor() as copy_cursor,
            copy_cursor.copy(f"COPY reports_tenderfact ({fact_columns}) FROM STDIN") as copy,
        ):
            read.execute(
                "SELECT t.id, t.buyer_id, m.code, t.category_code, t.region, t.status, t.budget, t.published_at,"
                " t.cancel_reason FROM tenders_tender t JOIN procurement_procurementmethod m ON m.id = t.method_id"
            )
            while rows := read.fetchmany(20000):
                for tender_id, buyer, method, category, region, status, budget, published, reason in rows:
                    local = published + timedelta(hours=8)
                    opened = status in ("awarded", "failed")
                    awarded = status == "awarded"
                    amount = (budget * Decimal(rng.randrange(80, 100)) / 100).quantize(Decimal("0.01"))
                    copy.write_row(
                        (
                            tender_id,
                            buyer,
                            date(local.year, local.month, 1),
                            method,
                            category[:1],
                            region,
                            status,
                            budget,
                            rng.randrange(1, 9) if opened else None,
                            amount if awarded else None,
                            rng.random() < 0.6 if awarded else None,
                            rng.randrange(20, 60) if awarded else None,
                            reason if status == "failed" else "",
                        )
                    )
        raw.commit() if not raw.autocommit else None
    print(f"copied {count:,} facts in {time.perf_counter() - started:,.0f} s", flush=True)
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.connection.cursor() as vacuum:
        vacuum.execute("VACUUM ANALYZE tenders_tender")
        vacuum.execute("VACUUM ANALYZE reports_tenderfact")
    connection.connection.autocommit = autocommit
    from reports.statistics import tally_rebuild

    started = time.perf_counter()
    tallies = tally_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_tendertally")
    print(
        f"built {tallies:,} tally rows from the facts in {time.perf_counter() - started:,.1f} s", flush=True
    )
    return buyers


def _measure(buyers: list[int], count: int, rng: random.Random) -> None:
    from django.test import Client

    from reports.statistics import StatisticsFilters, default_period, procurement_figures
    from tenders.models import Tender

    ids = [rng.randrange(1, count + 1) for _ in range(SAMPLES)]
    baseline = _time("primary-key lookup (baseline)", lambda pk: Tender.objects.get(pk=pk), ids)
    first, last = default_period()
    three_years = date(last.year - 3, last.month, 1)
    _time(
        "figures, last 12 months, every buyer",
        lambda _n: procurement_figures(filters=StatisticsFilters(first, last)),
        list(range(SAMPLES)),
        baseline,
    )
    client = Client()
    p95 = _time(
        "dashboard page /statistics/ (rendered HTML)",
        lambda _n: client.get("/statistics/"),
        list(range(SAMPLES)),
        baseline,
    )
    _time(
        "dashboard page, three years",
        lambda _n: client.get(
            "/statistics/", {"month_from": three_years.strftime("%Y-%m"), "month_to": last.strftime("%Y-%m")}
        ),
        list(range(SAMPLES)),
        baseline,
    )
    _time(
        "dashboard page, one buyer",
        lambda buyer: client.get("/statistics/", {"organisation": buyer}),
        [rng.choice(buyers) for _ in range(SAMPLES)],
        baseline,
    )
    print(f"dashboard page p95 {p95:.1f} ms against the 200 ms target: {'met' if p95 < 200 else 'NOT met'}")


def main() -> None:
    name = f"yizhan_statistics_bench_{os.getpid()}"
    _database(name, create=True)
    try:
        _setup(name)
        from django.db import connections

        rng = random.Random(20261208)
        buyers = _load(COUNT, rng)
        _measure(buyers, COUNT, rng)
        connections.close_all()
    finally:
        if os.environ.get("STATS_BENCH_KEEP"):
            print(f"kept the database {name}")
        else:
            _database(name, create=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
