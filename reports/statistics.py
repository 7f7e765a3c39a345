"""Procurement statistics: one `TenderFact` a public tender, summed into `TenderTally` rows by
month, buyer and dimension, and the figures the dashboards read from those sums.

The facts are refreshed whenever a tender is saved (`tender_fact_refresh`, connected in
`reports.apps`): reports sits above every domain app, so it watches them rather than being
called by them. `statistics_rebuild` recomputes everything from the records."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import Organisation
from config import clock
from reports.models import TenderFact, TenderTally
from tenders.constants import PUBLIC_STATUSES, TenderStatus
from tenders.models import Tender

# The dimensions a tally row may sum over; "all" has one key ("") and carries the totals.
DIMENSIONS = ("all", "method", "category", "region", "status", "failure")
MEASURES = (
    "tenders",
    "budget",
    "opened",
    "bids",
    "awarded",
    "awarded_budget",
    "award_amount",
    "sme_awarded",
    "sme_award_amount",
    "award_days",
)
SME_SIZES = frozenset({"small", "micro"})
ZERO = Decimal("0.00")


# ---------------------------------------------------------------- where award figures come from


@dataclass(frozen=True)
class AwardFigures:
    amount: Decimal
    sme: bool  # the winner is a small or micro enterprise
    decided_at: Any  # datetime of the award decision


def award_of(tender: Tender) -> AwardFigures | None:
    """The award of `tender` as the statistics count it: the buyer's decided award (awards app:
    the latest decided or announced decision, its amount and its supplier's size class), or, for a
    tender awarded before decisions were recorded, its first-ranked bid in the committee's results."""
    if tender.status != TenderStatus.AWARDED:
        return None
    from awards.constants import AwardStatus
    from awards.models import AwardDecision

    decision = (
        AwardDecision.objects.filter(tender=tender, status__in=(AwardStatus.DECIDED, AwardStatus.ANNOUNCED))
        .select_related("supplier")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is not None:
        return AwardFigures(
            amount=decision.amount,
            sme=decision.supplier.size_class in SME_SIZES,
            decided_at=decision.decided_at or tender.status_changed_at,
        )
    from evaluation.results import evaluation_results  # imported late: only awarded tenders need it

    try:
        rows = evaluation_results(tender)
    except Exception:  # noqa: BLE001 - an incomplete evaluation has no winner to count, not an error here
        return None
    first = next((row for row in rows if row["rank"] == 1 and row["price"] is not None), None)
    if first is None:
        return None
    return AwardFigures(
        amount=first["price"],
        sme=first["opening"].supplier.size_class in SME_SIZES,
        decided_at=tender.status_changed_at,
    )


def bids_received(tender: Tender) -> int | None:
    """Bids counted at the tender's opening (failed ones too: they were received); None before it."""
    from bidding.models_ceremony import BidOpening

    count = BidOpening.objects.filter(room__tender=tender).count()
    if count == 0 and tender.status in (TenderStatus.PUBLISHED, TenderStatus.CANCELLED):
        return None
    return count


def challenge_outcomes(filters: "StatisticsFilters") -> list[tuple[str, int]]:
    """Challenges (质疑, awards app) filed in the period against the filtered buyers' tenders, by
    outcome, in the active language: awaiting an answer, upheld, dismissed."""
    from awards.models import Challenge
    from awards.remedy_constants import ChallengeStatus

    rows = Challenge.objects.all()
    if filters.month_from is not None:
        rows = rows.filter(filed_at__date__gte=filters.month_from)
    if filters.month_to is not None:
        last = filters.month_to
        following = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        rows = rows.filter(filed_at__date__lt=following)
    if filters.buyer_ids is not None:
        rows = rows.filter(tender__buyer_id__in=filters.buyer_ids)
    counted = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
    return [(str(status.label), counted.get(status.value, 0)) for status in ChallengeStatus]


# ---------------------------------------------------------------- keeping facts and tallies


def _month_of(moment) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def fact_for(tender: Tender) -> TenderFact | None:
    """The fact row `tender` should have now; None when it is not public (never published)."""
    if tender.status not in PUBLIC_STATUSES or tender.published_at is None:
        return None
    award = award_of(tender)
    award_days = None
    if award is not None and award.decided_at is not None:
        award_days = max(
            (timezone.localdate(award.decided_at) - timezone.localdate(tender.published_at)).days, 0
        )
    return TenderFact(
        tender_id=tender.pk,
        buyer_id=tender.buyer_id,
        month=_month_of(tender.published_at),
        method=tender.method.code,
        category=(tender.category_code or "")[:1].upper(),
        region=tender.region or "",
        status=tender.status,
        budget=tender.budget,
        bids=bids_received(tender),
        award_amount=award.amount if award else None,
        award_sme=award.sme if award else None,
        award_days=award_days,
        failure_reason=(tender.cancel_reason or "").strip()[:120]
        if tender.status == TenderStatus.FAILED
        else "",
    )


def _contribution(fact: TenderFact) -> dict[str, Any]:
    awarded = fact.award_amount is not None
    sme = awarded and bool(fact.award_sme)
    return {
        "tenders": 1,
        "budget": fact.budget,
        "opened": int(fact.bids is not None),
        "bids": fact.bids or 0,
        "awarded": int(awarded),
        "awarded_budget": fact.budget if awarded else ZERO,
        "award_amount": fact.award_amount if awarded else ZERO,
        "sme_awarded": int(sme),
        "sme_award_amount": fact.award_amount if sme else ZERO,
        "award_days": fact.award_days or 0,
    }


def _keys(fact: TenderFact) -> list[tuple[str, str]]:
    keys = [
        ("all", ""),
        ("method", fact.method),
        ("category", fact.category),
        ("region", fact.region),
        ("status", fact.status),
    ]
    if fact.status == TenderStatus.FAILED:
        keys.append(("failure", fact.failure_reason))
    return keys


def _tally_add(fact: TenderFact, sign: int) -> None:
    delta = {name: value * sign for name, value in _contribution(fact).items()}
    for (dimension, key), buyer_id in ((k, b) for k in _keys(fact) for b in (fact.buyer_id, None)):
        where = {"dimension": dimension, "month": fact.month, "buyer_id": buyer_id, "key": key}
        updated = TenderTally.objects.filter(**where).update(**{n: F(n) + v for n, v in delta.items()})
        if updated:
            continue
        try:
            with transaction.atomic():
                TenderTally.objects.create(**where, **delta)
        except IntegrityError:  # created by a concurrent refresh in between: add to that row
            # (the every-buyer rows have no unique guard, NULL being distinct; a second row of the
            # same key made by a race is harmless, as every reader sums the rows)
            TenderTally.objects.filter(**where).update(**{n: F(n) + v for n, v in delta.items()})


def _same(a: TenderFact, b: TenderFact) -> bool:
    return all(getattr(a, f.attname) == getattr(b, f.attname) for f in TenderFact._meta.concrete_fields)


@transaction.atomic
def tender_fact_refresh(*, tender: Tender) -> None:
    """Bring `tender`'s fact and the tallies it is counted in up to date.

    After: the tender has a fact exactly when it is public; every tally row it is counted in has
    its old contribution taken away and its new one added (in the caller's transaction)."""
    old = TenderFact.objects.select_for_update().filter(pk=tender.pk).first()
    new = fact_for(tender)
    if old is not None and new is not None and _same(old, new):
        return
    if old is not None:
        _tally_add(old, -1)
        old.delete()
    if new is not None:
        new.save(force_insert=True)
        _tally_add(new, +1)


def tally_rebuild() -> int:
    """Recompute every tally row from the facts (after a bulk load, or to repair); returns rows."""
    sums = {name: Sum(name) for name in ("budget", "bids", "award_amount", "award_days")}
    rows: dict[tuple, dict[str, Any]] = {}
    key_fields = {"method": "method", "category": "category", "region": "region", "status": "status"}
    groupings: list[tuple[str, str | None, Q]] = [("all", None, Q())]
    groupings += [(dim, column, Q()) for dim, column in key_fields.items()]
    groupings.append(("failure", "failure_reason", Q(status=TenderStatus.FAILED)))
    for (dimension, column, condition), by_buyer in ((g, b) for g in groupings for b in (True, False)):
        values = ["month"] + (["buyer_id"] if by_buyer else []) + ([column] if column else [])
        qs = (
            TenderFact.objects.filter(condition)
            .values(*values)
            .order_by()
            .annotate(
                tenders=Count("pk"),
                opened=Count("pk", filter=Q(bids__isnull=False)),
                awarded=Count("pk", filter=Q(award_amount__isnull=False)),
                awarded_budget=Sum("budget", filter=Q(award_amount__isnull=False)),
                sme_awarded=Count("pk", filter=Q(award_amount__isnull=False, award_sme=True)),
                sme_award_amount=Sum("award_amount", filter=Q(award_sme=True)),
                **sums,
            )
        )
        for row in qs.iterator(chunk_size=5000):
            key = row[column] if column else ""
            rows[(dimension, row["month"], row["buyer_id"] if by_buyer else None, key)] = {
                name: row[name] if row[name] is not None else 0 for name in MEASURES
            }
    with transaction.atomic():
        TenderTally.objects.all().delete()
        TenderTally.objects.bulk_create(
            (
                TenderTally(dimension=d, month=m, buyer_id=b, key=k, **measures)
                for (d, m, b, k), measures in rows.items()
            ),
            batch_size=5000,
        )
    return len(rows)


def statistics_rebuild(*, tenders: Iterable[Tender] | None = None) -> int:
    """Recompute the fact of every tender (or of `tenders`), then every tally; returns facts kept."""
    qs = tenders if tenders is not None else Tender.objects.select_related("method").iterator(chunk_size=2000)
    kept = 0
    with transaction.atomic():
        if tenders is None:
            TenderFact.objects.all().delete()
        for tender in qs:
            fact = fact_for(tender)
            TenderFact.objects.filter(pk=tender.pk).delete()
            if fact is not None:
                fact.save(force_insert=True)
                kept += 1
    tally_rebuild()
    return kept


# ---------------------------------------------------------------- figures the dashboards show


@dataclass(frozen=True)
class StatisticsFilters:
    month_from: date | None = None  # first day of a month
    month_to: date | None = None
    buyer_ids: tuple[int, ...] | None = None  # None: every buyer


def default_period(months: int = 12) -> tuple[date, date]:
    """The last `months` calendar months (Beijing), this one included."""
    today = clock.today_local()
    last = today.year * 12 + today.month - 1
    first = last - months + 1
    return date(first // 12, first % 12 + 1, 1), date(today.year, today.month, 1)


@dataclass
class Row:
    """One key of a dimension (a method, a region, a month) and what was counted for it."""

    key: str
    tenders: int = 0
    budget: Decimal = ZERO
    opened: int = 0
    bids: int = 0
    awarded: int = 0
    awarded_budget: Decimal = ZERO
    award_amount: Decimal = ZERO
    sme_awarded: int = 0
    sme_award_amount: Decimal = ZERO
    award_days: int = 0
    label: str = ""

    @property
    def savings(self) -> Decimal:
        """Budget of the awarded tenders less what they were awarded for."""
        return self.awarded_budget - self.award_amount

    @property
    def savings_rate(self) -> Decimal | None:
        return _percent(self.savings, self.awarded_budget)

    @property
    def bids_per_tender(self) -> Decimal | None:
        return (
            (Decimal(self.bids) / self.opened).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if self.opened
            else None
        )

    @property
    def sme_share(self) -> Decimal | None:
        """Per cent of the awards (by number) won by small and micro enterprises."""
        return _percent(Decimal(self.sme_awarded), Decimal(self.awarded))

    @property
    def sme_value_share(self) -> Decimal | None:
        return _percent(self.sme_award_amount, self.award_amount)

    @property
    def days_to_award(self) -> Decimal | None:
        """Mean calendar days from publication to award."""
        return (
            (Decimal(self.award_days) / self.awarded).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if self.awarded
            else None
        )


def _row(key: str, values: dict[str, Any]) -> Row:
    row = Row(key=key)
    for name in MEASURES:
        setattr(row, name, values[name] or 0)
    return row


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else None


@dataclass
class ProcurementFigures:
    filters: StatisticsFilters
    total: Row
    by_dimension: dict[str, list[Row]] = field(default_factory=dict)
    by_month: list[tuple[date, Row]] = field(default_factory=list)
    challenges: list[tuple[str, int]] | None = None


def _months(first: date, last: date) -> list[date]:
    out, n = [], first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    while n <= end:
        out.append(date(n // 12, n % 12 + 1, 1))
        n += 1
    return out


def procurement_figures(*, filters: StatisticsFilters) -> ProcurementFigures:
    """Every procurement figure of the dashboards for `filters`, from the tallies in two queries:
    one grouped by dimension and key, one of the totals grouped by month."""
    first, last = filters.month_from, filters.month_to
    if first is None or last is None:
        default_first, default_last = default_period()
        first, last = first or default_first, last or default_last
    qs = TenderTally.objects.filter(month__gte=first, month__lte=last)
    if filters.buyer_ids is not None:
        qs = qs.filter(buyer_id__in=filters.buyer_ids)
    else:
        qs = qs.filter(buyer__isnull=True)
    sums = {name: Sum(name) for name in MEASURES}
    by_dimension: dict[str, list[Row]] = defaultdict(list)
    total = Row(key="")
    for values in qs.values("dimension", "key").order_by().annotate(**sums):
        row = _row(values["key"], values)
        if values["dimension"] == "all":
            total = row
        else:
            by_dimension[values["dimension"]].append(row)
    for rows in by_dimension.values():
        rows.sort(key=lambda r: (-r.tenders, r.key))
    per_month = {
        values["month"]: _row(values["month"].strftime("%Y-%m"), values)
        for values in qs.filter(dimension="all").values("month").order_by().annotate(**sums)
    }
    return ProcurementFigures(
        filters=StatisticsFilters(first, last, filters.buyer_ids),
        total=total,
        by_dimension=dict(by_dimension),
        by_month=[(m, per_month.get(m, Row(key=m.strftime("%Y-%m")))) for m in _months(first, last)],
        challenges=challenge_outcomes(filters),
    )


def buyers_counted() -> list[Organisation]:
    """The buyers the statistics have facts of, for the organisation filter."""
    ids = (
        TenderTally.objects.filter(dimension="all", buyer__isnull=False)
        .values("buyer_id")
        .distinct()
        .order_by()
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
