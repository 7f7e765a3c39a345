"""Reads of the open-data publication. Everything here is public: only what was already announced
becomes a release (reports/ocds/releases.py), and nothing personal is in one."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet

from reports.models import OcdsBulkFile, OcdsRelease
from reports.ocds.packages import record_for


@dataclass(frozen=True)
class ReleaseFilters:
    ocid: str = ""
    buyer: str = ""  # a party id ("CN-SAIC-…") or the bare unified social credit code
    date_from: datetime | None = None  # inclusive
    date_to: datetime | None = None  # exclusive


def _buyer_ids(buyer: str) -> list[str]:
    return [buyer] if "-" in buyer else [buyer, f"CN-SAIC-{buyer}"]


def ocds_releases(*, filters: ReleaseFilters) -> QuerySet[OcdsRelease]:
    """Stored releases matching the filters, oldest first (each filter an indexed column)."""
    releases = OcdsRelease.objects.all()
    if filters.ocid:
        releases = releases.filter(ocid=filters.ocid)
    if filters.buyer:
        releases = releases.filter(buyer__in=_buyer_ids(filters.buyer))
    if filters.date_from:
        releases = releases.filter(date__gte=filters.date_from)
    if filters.date_to:
        releases = releases.filter(date__lt=filters.date_to)
    return releases.order_by("date", "id")


def ocds_record_ocids(*, filters: ReleaseFilters) -> QuerySet:
    """The contracting processes with a release matching the filters, the latest changed first, as
    rows {"ocid", "latest"}."""
    return (
        ocds_releases(filters=filters)
        .order_by()
        .values("ocid")
        .annotate(latest=Max("date"))
        .order_by("-latest", "ocid")
    )


def ocds_records(*, ocids: list[str]) -> list[dict]:
    """The records of these contracting processes, in the order given; unknown ocids are skipped."""
    grouped: dict[str, list[dict]] = {}
    for ocid, release in (
        OcdsRelease.objects.filter(ocid__in=ocids).order_by("date", "id").values_list("ocid", "release")
    ):
        grouped.setdefault(ocid, []).append(release)
    return [record_for(ocid, grouped[ocid]) for ocid in ocids if ocid in grouped]


def ocds_bulk_files(*, limit: int = 30) -> list[OcdsBulkFile]:
    """The newest bulk files, newest day first."""
    days = list(OcdsBulkFile.objects.values_list("day", flat=True).distinct().order_by("-day")[:limit])
    return list(OcdsBulkFile.objects.filter(day__in=days).order_by("-day", "kind"))


def ocds_bulk_file_get(*, pk: int) -> OcdsBulkFile | None:
    return OcdsBulkFile.objects.filter(pk=pk).first()
