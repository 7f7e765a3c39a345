"""The one-stop portal's figures (moved here from portal/): applications submitted each month and
by service, decisions within the legal time limit, and the time an application takes, for a
period and for chosen departments. Computed from the portal's records when a page asks."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Organisation
from portal.constants import ApplicationStatus
from portal.models import Application, ApplicationEvent, Service
from reports.statistics import StatisticsFilters, _months, default_period


def _period(filters: StatisticsFilters) -> tuple[date, date]:
    first, last = default_period()
    return filters.month_from or first, filters.month_to or last


def _bounds(filters: StatisticsFilters) -> tuple[datetime, datetime]:
    """Beijing midnight of the period's first day, and of the day after its last month."""
    first, last = _period(filters)
    after = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(after, time.min)),
    )


def _by_department(qs: QuerySet, filters: StatisticsFilters, path: str) -> QuerySet:
    if filters.buyer_ids is None:
        return qs
    return qs.filter(**{f"{path}__in": filters.buyer_ids})


def applications_per_month(*, filters: StatisticsFilters) -> list[tuple[date, int]]:
    """Applications first submitted in each month of the period (Beijing time), oldest first; a
    month with none is there with 0. Counted from the "submitted" step, so a resubmission after a
    correction does not move or double an application."""
    first, last = _period(filters)
    since, until = _bounds(filters)
    events = _by_department(
        ApplicationEvent.objects.filter(kind="submitted", at__gte=since, at__lt=until),
        filters,
        "application__service__department",
    )
    counts = {
        timezone.localtime(row["month"]).date(): row["n"]
        for row in events.annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("application", distinct=True))
    }
    return [(start, counts.get(start, 0)) for start in _months(first, last)]


@dataclass(frozen=True)
class DepartmentTimeliness:
    department: str
    decided: int
    on_time: int  # decided by the legal time limit (or decided at acceptance, before any limit ran)
    days: int = 0  # calendar days from submission to decision, summed over those with both dates
    timed: int = 0  # how many had both dates

    @property
    def rate(self) -> Decimal:
        """Per cent decided on time, to one decimal."""
        return (
            (Decimal(100 * self.on_time) / self.decided).quantize(Decimal("0.1"))
            if self.decided
            else Decimal(0)
        )

    @property
    def average_days(self) -> Decimal | None:
        """Mean calendar days from submission to decision, to one decimal."""
        return (
            (Decimal(self.days) / self.timed).quantize(Decimal("0.1"), ROUND_HALF_UP) if self.timed else None
        )


def on_time_by_department(*, filters: StatisticsFilters) -> list[DepartmentTimeliness]:
    """For each lead department with applications decided in the period: how many, how many on
    time (the decision's Beijing date on or before the legal time limit), and how long they took.
    Ordered by department name."""
    since, until = _bounds(filters)
    decided = _by_department(
        Application.objects.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REFUSED],
            decided_at__gte=since,
            decided_at__lt=until,
        ),
        filters,
        "service__department",
    ).values_list("service__department__name", "decided_at", "decision_due", "submitted_at")
    tally: dict[str, list[int]] = {}
    for department, decided_at, due, submitted_at in decided:
        counts = tally.setdefault(department, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += due is None or timezone.localdate(decided_at) <= due
        if submitted_at is not None:
            counts[2] += max((timezone.localdate(decided_at) - timezone.localdate(submitted_at)).days, 0)
            counts[3] += 1
    return [DepartmentTimeliness(name, *counts) for name, counts in sorted(tally.items())]


def applications_by_service(*, filters: StatisticsFilters) -> list[tuple[str, int]]:
    """Applications submitted in the period, by service, most first (services with none left out)."""
    since, until = _bounds(filters)
    events = _by_department(
        ApplicationEvent.objects.filter(kind="submitted", at__gte=since, at__lt=until),
        filters,
        "application__service__department",
    )
    rows = (
        events.values("application__service__name")
        .annotate(n=Count("application", distinct=True))
        .order_by("-n", "application__service__name")
    )
    return [(row["application__service__name"], row["n"]) for row in rows]


def service_totals(*, filters: StatisticsFilters) -> dict[str, int]:
    services = _by_department(Service.objects.filter(is_published=True), filters, "department")
    return {
        "services": services.count(),
        "online": services.filter(handling_mode="online").count(),
        "submitted": _by_department(
            Application.objects.exclude(status="draft"), filters, "service__department"
        ).count(),
    }


def services_by_department() -> QuerySet:
    return (
        Service.objects.values("department__name")
        .annotate(
            services=Count("id", distinct=True),
            submitted=Count("applications", filter=~Q(applications__status="draft")),
        )
        .order_by("department__name")
    )


def service_departments() -> list[Organisation]:
    return list(Organisation.objects.filter(services__isnull=False).distinct().order_by("name"))


def enquiries_by_kind() -> list[dict]:
    """Consultations, complaints … received and answered, each kind by its name (not its stored value)."""
    from portal.constants import EnquiryKind
    from portal.models import Enquiry

    rows = (
        Enquiry.objects.order_by()
        .values("kind")
        .annotate(total=Count("id"), answered=Count("id", filter=Q(status="answered")))
        .order_by("kind")
    )
    return [
        {**row, "kind": EnquiryKind(row["kind"]).label if row["kind"] in EnquiryKind.values else row["kind"]}
        for row in rows
    ]
