"""Tenders: load 1,000,000 public tenders into a temporary PostgreSQL database (COPY), then time the
notice list, filtered list, Chinese phrase search (rare, middling and very common phrases, through
the selector and through the rendered search page) and the notice detail, each as p50/p95 and as a
ratio against a primary-key lookup measured in the same run. Target: search page p95 < 50 ms
(printed, not asserted).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench   (TENDERS_BENCH_COUNT=100000 for a quick run)
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

COUNT = int(os.environ.get("TENDERS_BENCH_COUNT", "1000000"))
SAMPLES = int(os.environ.get("TENDERS_BENCH_SAMPLES", "200"))
ADMIN_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

DISTRICTS = [
    "浦东新区",
    "黄浦区",
    "静安区",
    "徐汇区",
    "长宁区",
    "普陀区",
    "虹口区",
    "杨浦区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
]
UNITS = [
    "人民医院",
    "第一中学",
    "实验小学",
    "图书馆",
    "档案馆",
    "疾病预防控制中心",
    "政务服务中心",
    "城管执法局",
    "教育局",
    "卫生健康委员会",
    "体育中心",
    "文化馆",
    "社区卫生服务中心",
    "职业技术学院",
    "公安分局",
]
ITEMS = [
    "智慧黑板",
    "医用空调",
    "笔记本电脑",
    "视频监控",
    "办公家具",
    "食材配送",
    "网络安全测评",
    "物业管理",
    "保洁服务",
    "数控机床",
    "古籍数字化",
    "叫号系统",
    "服务器",
    "存储设备",
    "显示屏",
    "电梯维保",
    "绿化养护",
    "安保服务",
    "印刷服务",
    "车辆租赁",
    "核磁共振仪",
    "实验室设备",
    "消防设施维保",
    "空气净化器",
    "校服",
]
KINDS = ["采购项目", "维保服务项目", "升级改造项目", "租赁服务", "运维服务项目"]
METHODS = [
    "open_tender",
    "open_tender",
    "open_tender",
    "competitive_consultation",
    "competitive_negotiation",
    "enquiry",
    "invitation",
    "single_source",
]
STATUSES = ["published"] * 6 + ["awarded"] * 2 + ["failed", "cancelled"]


def _database(name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


def _setup(name: str) -> None:
    base = ADMIN_URL.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    os.environ["YIZHAN_VAR_DIR"] = tempfile.mkdtemp(prefix="yizhan-tenders-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """COPY `count` tenders and their search tokens; returns (reference, title) of a sample."""
    from django.db import connection

    from accounts.constants import OrganisationKind
    from accounts.models import Organisation, User
    from config.bigrams import runs, tokens_of
    from procurement.methods import procurement_methods_ensure

    user = User.objects.create(username="bench")
    buyers = [
        Organisation.objects.create(name=f"上海市{d}{u}", kind=OrganisationKind.BUYER, region="310000")
        for d in DISTRICTS
        for u in UNITS[:4]
    ]
    methods = {code: m.pk for code, m in procurement_methods_ensure().items()}
    now = datetime.now(UTC)
    columns = (
        "reference",
        "buyer_id",
        "method_id",
        "rule_set",
        "procurement_kind",
        "title",
        "description",
        "category_code",
        "region",
        "budget",
        "qualification_requirements",
        "evaluation_method",
        "readout_fields",
        "required_documents",
        "bid_security",
        "document_instructions",
        "bid_deadline",
        "opening_place",
        "share_window_s",
        "threshold_k",
        "contact_name",
        "contact_phone",
        "status",
        "created_by_id",
        "created_at",
        "updated_at",
        "published_at",
        "cancel_reason",
        "return_reason",
        "search_text",
    )
    sample: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE tenders_searchtoken DROP CONSTRAINT search_token_unique")
        cursor.execute("DROP INDEX search_token_lookup")
        raw = cursor.connection
        started = time.perf_counter()
        with (
            raw.cursor() as copy_cursor,
            copy_cursor.copy(f"COPY tenders_tender ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for n in range(1, count + 1):
                district, unit, item, kind = (
                    rng.choice(DISTRICTS),
                    rng.choice(UNITS),
                    rng.choice(ITEMS),
                    rng.choice(KINDS),
                )
                title = f"{district}{unit}{item}{kind}（第{rng.randrange(1, 400)}批）"
                buyer = rng.choice(buyers)
                reference = f"YZ-B-{n:07d}"
                description = f"采购{item}及相关服务，详见采购文件。"
                published = now - timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))
                deadline = published + timedelta(days=rng.randrange(5, 40))
                search_text = " ".join(
                    " ".join(runs(p)) for p in (title, reference, "A02", "310000", buyer.name, description)
                )
                copy.write_row(
                    (
                        reference,
                        buyer.pk,
                        methods[rng.choice(METHODS)],
                        "{}",
                        "goods",
                        title,
                        description,
                        f"A02{rng.randrange(1, 20):02d}",
                        "310000",
                        Decimal(rng.randrange(10_000, 50_000_000)),
                        "",
                        "comprehensive",
                        '["price", "currency"]',
                        "[]",
                        Decimal(0),
                        "",
                        deadline,
                        "",
                        3600,
                        2,
                        "",
                        "",
                        rng.choice(STATUSES),
                        user.pk,
                        published,
                        published,
                        published,
                        "",
                        "",
                        search_text,
                    )
                )
                if n % 5000 == 0:
                    sample.append((reference, title))
        print(f"copied {count:,} tenders in {time.perf_counter() - started:,.0f} s", flush=True)
        started = time.perf_counter()
        import psycopg

        raw.commit() if not raw.autocommit else None
        with (
            psycopg.connect(os.environ["DATABASE_URL"]) as reader,
            reader.cursor(name="texts") as read,
            raw.cursor() as copy_cursor,
            copy_cursor.copy("COPY tenders_searchtoken (tender_id, token, published_at) FROM STDIN") as copy,
        ):
            read.execute("SELECT id, search_text, published_at FROM tenders_tender")
            tokens = 0
            while rows := read.fetchmany(20000):
                for tender_id, text, published_at in rows:
                    for token in tokens_of(text):
                        copy.write_row((tender_id, token, published_at))
                        tokens += 1
        print(
            f"copied {tokens:,} search tokens ({tokens / count:.0f} a tender) in "
            f"{time.perf_counter() - started:,.0f} s",
            flush=True,
        )
        started = time.perf_counter()
        cursor.execute(
            "CREATE INDEX search_token_lookup ON tenders_searchtoken (token, published_at, tender_id)"
        )
        cursor.execute(
            "ALTER TABLE tenders_searchtoken ADD CONSTRAINT search_token_unique UNIQUE (tender_id, token)"
        )
        from tenders.search import search_token_counts_refresh

    # What autovacuum does to a table in steady use: the visibility map lets index-only scans skip the heap.
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.connection.cursor() as vacuum:
        vacuum.execute("VACUUM ANALYZE tenders_searchtoken")
        vacuum.execute("VACUUM ANALYZE tenders_tender")
    connection.connection.autocommit = autocommit
    with connection.cursor() as cursor:
        print(f"counted {search_token_counts_refresh():,} distinct tokens", flush=True)
        print(f"indexed in {time.perf_counter() - started:,.0f} s", flush=True)
    return sample


def _time(label: str, call, arguments: list, baseline: float | None = None) -> float:
    timings = []
    for argument in arguments:
        started = time.perf_counter()
        call(argument)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    ratio = f" = {p95 / baseline:,.1f}x the primary-key lookup" if baseline else ""
    print(f"{label:<52} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms{ratio}", flush=True)
    return p95


def _measure(sample: list[tuple[str, str]], count: int, rng: random.Random) -> None:
    from django.test import Client

    from tenders.models import Tender
    from tenders.selectors import NoticeFilters, notice_list, tender_public_get

    ids = [rng.randrange(1, count + 1) for _ in range(SAMPLES)]
    baseline = _time("primary-key lookup (baseline)", lambda pk: Tender.objects.get(pk=pk), ids)
    page = lambda filters: list(notice_list(filters=filters)[:21])  # noqa: E731
    _time("list, newest first", page, [NoticeFilters()] * SAMPLES, baseline)
    _time(
        "list, filtered (method, phase, budget range)",
        page,
        [
            NoticeFilters(
                method=rng.choice(METHODS),
                phase="closed",
                budget_min=Decimal(1_000_000),
                budget_max=Decimal(5_000_000),
            )
            for _ in range(SAMPLES)
        ],
        baseline,
    )
    rare = []
    for _reference, title in rng.choices(sample, k=SAMPLES):
        start = rng.randrange(2, len(title) - 8)
        rare.append(title[start : start + 7])  # a phrase from the middle of a title
    middling = [rng.choice(UNITS) + rng.choice(ITEMS) for _ in range(SAMPLES)]
    common = [rng.choice(ITEMS) for _ in range(SAMPLES)]
    _time("search, phrase from the middle of a title", lambda q: page(NoticeFilters(q=q)), rare, baseline)
    _time("search, unit + item (~1 in 375 tenders)", lambda q: page(NoticeFilters(q=q)), middling, baseline)
    _time("search, one item (~1 in 25 tenders)", lambda q: page(NoticeFilters(q=q)), common, baseline)
    _time("search, 采购 (in most tenders)", lambda q: page(NoticeFilters(q=q)), ["采购"] * SAMPLES, baseline)
    client = Client()
    p95 = _time(
        "search page /notices/?q= (rendered HTML)",
        lambda q: client.get("/notices/", {"q": q}),
        rare[: SAMPLES // 2] + middling[: SAMPLES // 2],
        baseline,
    )
    print(f"search page p95 {p95:.1f} ms against the 50 ms target: {'met' if p95 < 50 else 'NOT met'}")
    references = [reference for reference, _title in rng.choices(sample, k=SAMPLES)]
    _time("notice detail (selector)", lambda r: tender_public_get(reference=r), references, baseline)
    _time("notice detail page (rendered HTML)", lambda r: client.get(f"/notices/{r}/"), references, baseline)


def main() -> None:
    name = f"yizhan_tenders_bench_{os.getpid()}"
    _database(name, create=True)
    try:
        _setup(name)
        from django.db import connections

        rng = random.Random(20261126)
        sample = _load(COUNT, rng)
        _measure(sample, COUNT, rng)
        connections.close_all()
    finally:
        if os.environ.get("TENDERS_BENCH_KEEP"):
            print(f"kept the database {name}")
        else:
            _database(name, create=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
