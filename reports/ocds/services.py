"""Writes of the open-data publication: storing new releases (`ocds_releases_sync`) and building the
daily bulk files (`ocds_bulk_build`). Both are idempotent: run again, they change nothing."""

import gzip
import hashlib
import io
import json
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from config import clock
from ledger.selectors import ledger_entries
from reports.models import OcdsBulkFile, OcdsRelease
from reports.ocds import awards
from reports.ocds.packages import record_for
from reports.ocds.releases import (
    BEIJING,
    RELEASE_TAG,
    BuiltRelease,
    plan_release,
    plans_publishable,
    tender_releases,
)
from tenders.constants import PUBLIC_STATUSES
from tenders.models import Announcement, Tender


def releases_built_for_tender(tender: Tender) -> list[BuiltRelease]:
    """Every release of a public tender's contracting process: its announcements, then what the
    awards app published about it."""
    built = tender_releases(tender)
    if not built:
        return []
    facts = awards.award_facts_for(tender)
    if facts.awards or facts.contracts or facts.acceptances:
        notice = built[0].release
        built += awards.award_stage_releases(tender, facts, parties=notice["parties"], buyer=notice["buyer"])
    return built


def _store(built: list[BuiltRelease], known: set[str], now: datetime) -> int:
    rows = [
        OcdsRelease(
            release_id=item.release_id,
            ocid=item.ocid,
            date=datetime.fromisoformat(item.release["date"]),
            buyer=item.buyer_identifier,
            tags=item.release["tag"],
            source=item.source,
            release=item.release,
            stored_at=now,
        )
        for item in built
        if item.release_id not in known
    ]
    OcdsRelease.objects.bulk_create(rows, ignore_conflicts=True)
    known.update(row.release_id for row in rows)
    return len(rows)


@transaction.atomic
def ocds_releases_sync() -> int:
    """Store a release for everything published since the last run: approved plans, announcements
    of public tenders, and awards, contracts and acceptances. A stored release never changes (a
    release is a fact about a moment). Returns how many were added."""
    now = clock.now()
    known = set(OcdsRelease.objects.values_list("release_id", flat=True))
    added = 0
    stored_sources = set(OcdsRelease.objects.values_list("source", flat=True))
    plans = [plan for plan in plans_publishable() if f"procurement.plan:{plan.pk}" not in stored_sources]
    added += _store([plan_release(plan) for plan in plans], known, now)
    stored_announcements = {
        int(source.split(":", 1)[1])
        for source in stored_sources
        if source.startswith("tenders.announcement:")
    }
    published_kinds = [*RELEASE_TAG, awards.RESULT_KIND, awards.CONTRACT_KIND]
    pending = (
        Announcement.objects.filter(tender__status__in=PUBLIC_STATUSES, kind__in=published_kinds)
        .exclude(pk__in=stored_announcements)
        .values_list("tender_id", flat=True)
        .distinct()
    )
    tender_ids = set(pending)
    # An acceptance is a ledger entry of the awards app, not an announcement.
    stored_entries = {
        int(source.split(":", 1)[1]) for source in stored_sources if source.startswith("ledger.entry:")
    }
    references = {
        entry.document.get("payload", {}).get("tender")
        for entry in ledger_entries(kind=awards.ACCEPTANCE_KIND).exclude(index__in=stored_entries)
    }
    if references:
        tender_ids |= set(Tender.objects.filter(reference__in=references).values_list("pk", flat=True))
    for tender in Tender.objects.filter(pk__in=tender_ids).select_related(
        "buyer", "agency", "method", "plan", "rerun_of"
    ):
        added += _store(releases_built_for_tender(tender), known, now)
    return added


def _jsonl_gzip(lines: list[dict]) -> bytes:
    """gzip-compressed JSON Lines, byte for byte the same for the same content (no timestamp)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed:
        for line in lines:
            compressed.write(json.dumps(line, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return buffer.getvalue()


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=BEIJING)


@transaction.atomic
def ocds_bulk_build(*, day: date) -> list[OcdsBulkFile]:
    """The bulk files of `day` (Beijing): every release dated before its end, one a line, and every
    record (its releases linked, its compiled release). Already built: returned unchanged."""
    existing = list(OcdsBulkFile.objects.filter(day=day))
    if len(existing) == len(OcdsBulkFile.Kind.values):
        return existing
    ocds_releases_sync()
    releases = list(
        OcdsRelease.objects.filter(date__lt=_day_end(day))
        .order_by("date", "id")
        .values_list("release", flat=True)
    )
    by_ocid: dict[str, list[dict]] = {}
    for release in releases:
        by_ocid.setdefault(release["ocid"], []).append(release)
    contents = {
        OcdsBulkFile.Kind.RELEASES: (_jsonl_gzip(releases), len(releases)),
        OcdsBulkFile.Kind.RECORDS: (
            _jsonl_gzip([record_for(ocid, items) for ocid, items in sorted(by_ocid.items())]),
            len(by_ocid),
        ),
    }
    built = []
    done = {bulk.kind for bulk in existing}
    for kind, (data, count) in contents.items():
        if kind in done:
            continue
        bulk = OcdsBulkFile(
            kind=kind,
            day=day,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            count=count,
            created_at=clock.now(),
        )
        bulk.file.save(f"ocds-{kind}-{day.isoformat()}.jsonl.gz", ContentFile(data), save=False)
        bulk.save()
        built.append(bulk)
    return existing + built
