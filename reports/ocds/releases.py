"""OCDS 1.1.5 releases built from what the platform published: an approved procurement plan
(`planning`), and every announcement of a tender (notice, amendment, clarification, cancellation,
failure), each from the frozen payload whose hash the ledger holds, so a release says what the
announcement said and is rebuilt identically. Award, contract and acceptance releases are built
from `reports.ocds.awards` facts. Nothing personal goes in: no contact person or telephone, no
custodian, no question's asker (docs/open-data.md "What is published")."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, overload
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from procurement.constants import MethodCode
from procurement.models import PlanStatus, ProcurementPlan
from tenders.constants import AnnouncementKind, EvaluationMethod
from tenders.models import Announcement, DocumentVersion, Tender

BEIJING = ZoneInfo("Asia/Shanghai")
CURRENCY = "CNY"
# The org-id.guide list whose identifiers are unified social credit codes (docs/open-data.md).
ORG_ID_SCHEME = "CN-SAIC"
# China's government procurement catalogue (政府采购品目分类目录); a local code of the open
# itemClassificationScheme codelist (reports.ocds.validation.LOCAL_CODES).
ITEM_SCHEME = "CN-GPCC"

# The procurement methods of GPL Art 26 in the OCDS method codelist: an invitation tender invites
# qualified suppliers (selective); negotiation, consultation and enquiry go to suppliers the buyer
# chose, recommended or drew (limited); single source is direct.
PROCUREMENT_METHOD: dict[str, str] = {
    MethodCode.OPEN_TENDER: "open",
    MethodCode.INVITATION: "selective",
    MethodCode.COMPETITIVE_NEGOTIATION: "limited",
    MethodCode.COMPETITIVE_CONSULTATION: "limited",
    MethodCode.ENQUIRY: "limited",
    MethodCode.SINGLE_SOURCE: "direct",
}
AWARD_CRITERIA: dict[str, str] = {
    EvaluationMethod.LOWEST_PRICE: "priceOnly",
    EvaluationMethod.COMPREHENSIVE: "ratedCriteria",
}
RELEASE_TAG: dict[str, str] = {
    AnnouncementKind.TENDER_NOTICE: "tender",
    AnnouncementKind.AMENDMENT: "tenderAmendment",
    AnnouncementKind.CLARIFICATION: "tenderUpdate",
    AnnouncementKind.CANCELLATION: "tenderCancellation",
    AnnouncementKind.FAILURE: "tenderUpdate",
}
ANNOUNCEMENT_DOCUMENT_TYPE: dict[str, str] = {
    AnnouncementKind.TENDER_NOTICE: "tenderNotice",
    AnnouncementKind.AMENDMENT: "tenderNotice",
    AnnouncementKind.CLARIFICATION: "clarifications",
    AnnouncementKind.CANCELLATION: "cancellationDetails",
    AnnouncementKind.FAILURE: "cancellationDetails",
}


@dataclass(frozen=True)
class BuiltRelease:
    """One release and what the store indexes it by."""

    release: dict[str, Any]
    source: str  # what it was built from, e.g. "tenders.announcement:12"
    buyer_identifier: str  # the buyer's party id, for the API's buyer filter

    @property
    def ocid(self) -> str:
        return self.release["ocid"]

    @property
    def release_id(self) -> str:
        return self.release["id"]


# ---------------------------------------------------------------- shapes


def ocid_for(local_id: str) -> str:
    """The stable ocid of a contracting process: the registered prefix and our own reference."""
    return f"{settings.OCDS_OCID_PREFIX}-{local_id}"


def plan_ocid(plan: ProcurementPlan) -> str:
    return ocid_for(f"PLAN-{plan.year}-{plan.pk}")


@overload
def ocds_date(moment: datetime | str) -> str: ...
@overload
def ocds_date(moment: None) -> None: ...
def ocds_date(moment: datetime | str | None) -> str | None:
    """An OCDS date-time: ISO 8601 in Beijing time with its offset, to the second."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(BEIJING).isoformat(timespec="seconds")


def ocds_amount(amount: str | Decimal | None) -> int | float | None:
    """A CNY amount as the ledger recorded it ("3600000.00") as a JSON number, exact to the fen."""
    if amount in (None, ""):
        return None
    value = Decimal(str(amount))
    return int(value) if value == value.to_integral_value() else float(value)


def value_of(amount: str | Decimal | None) -> dict | None:
    number = ocds_amount(amount)
    return None if number is None else {"amount": number, "currency": CURRENCY}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def party_for(*, name: str, credit_code: str, roles: list[str], region: str = "", local_id: str = "") -> dict:
    """An organisation with the roles it plays: identified by its unified social credit code where
    it has one (`CN-SAIC-<code>`), otherwise by a platform id. Never a natural person."""
    if credit_code:
        party_id = f"{ORG_ID_SCHEME}-{credit_code}"
        identifier = {"scheme": ORG_ID_SCHEME, "id": credit_code, "legalName": name}
    else:
        party_id = f"yizhan-org-{local_id or name}"
        identifier = {"legalName": name}
    # No `address`: an organisation's address is public, but the ledger's privacy rule (which
    # applies here too) treats any field of that name as personal, and the region code says enough.
    party: dict[str, Any] = {"id": party_id, "name": name, "identifier": identifier, "roles": roles}
    if region:
        party["details"] = {"region": region}
    return party


def _reference(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def ledger_entry_link(index: int | None, kind: str) -> dict | None:
    if index is None:
        return None
    return {"index": index, "kind": kind, "url": site_url(reverse("api-ledger-entry", args=[index]))}


def release_make(*, ocid: str, release_id: str, date: str, tag: list[str], **sections: Any) -> dict:
    release = {
        "ocid": ocid,
        "id": release_id,
        "date": date,
        "tag": tag,
        "initiationType": "tender",
        "language": "zh",
    }
    release.update({key: value for key, value in sections.items() if value not in (None, [], {})})
    return release


def drop_empty(section: dict) -> dict:
    return {key: value for key, value in section.items() if value not in (None, "", [], {})}


# ---------------------------------------------------------------- planning


def plan_release(plan: ProcurementPlan) -> BuiltRelease:
    """The planning release of an approved plan: its own contracting process (tenders drafted under
    it name it in `relatedProcesses`)."""
    buyer = plan.buyer
    party = party_for(
        name=buyer.name,
        credit_code=buyer.credit_code,
        roles=["buyer"],
        region=buyer.region,
        local_id=str(buyer.pk),
    )
    ocid = plan_ocid(plan)
    items = []
    if plan.category_code:
        items.append(
            {
                "id": "1",
                "description": plan.title,
                "classification": {"scheme": ITEM_SCHEME, "id": plan.category_code},
            }
        )
    release = release_make(
        ocid=ocid,
        release_id=f"{ocid}-planning",
        date=ocds_date(plan.decided_at or plan.created_at),
        tag=["planning"],
        parties=[party],
        buyer=_reference(party),
        planning={"budget": {"amount": value_of(plan.budget), "description": f"{plan.year}"}},
        tender=drop_empty(
            {
                "id": f"PLAN-{plan.year}-{plan.pk}",
                "title": plan.title,
                "status": "planned",
                "procurementMethod": PROCUREMENT_METHOD.get(plan.method.code),
                "procurementMethodDetails": plan.method.name,
                "value": value_of(plan.budget),
                "items": items,
            }
        ),
    )
    return BuiltRelease(release=release, source=f"procurement.plan:{plan.pk}", buyer_identifier=party["id"])


def plans_publishable():
    return ProcurementPlan.objects.filter(status=PlanStatus.APPROVED).select_related("buyer", "method")


# ---------------------------------------------------------------- tender announcements


def tender_ocid(tender: Tender) -> str:
    return ocid_for(tender.reference)


def _tender_parties(notice: dict, tender: Tender) -> tuple[list[dict], dict, dict]:
    """(parties, buyer reference, procuring entity reference) as the notice named them."""
    buyer = notice.get("buyer") or {"name": tender.buyer.name, "credit_code": tender.buyer.credit_code}
    agency = notice.get("agency")
    buyer_roles = ["buyer"] if agency else ["buyer", "procuringEntity"]
    buyer_party = party_for(
        name=buyer["name"],
        credit_code=buyer.get("credit_code") or "",
        roles=buyer_roles,
        region=notice.get("region") or tender.buyer.region,
        local_id=str(tender.buyer_id),
    )
    parties = [buyer_party]
    procuring = buyer_party
    if agency:
        procuring = party_for(
            name=agency["name"],
            credit_code=agency.get("credit_code") or "",
            roles=["procuringEntity"],
            local_id=str(tender.agency_id or ""),
        )
        parties.append(procuring)
    return parties, _reference(buyer_party), _reference(procuring)


def _document_url(tender: Tender, title: str, version: int) -> str | None:
    version_id = (
        DocumentVersion.objects.filter(document__tender=tender, document__title=title, number=version)
        .values_list("pk", flat=True)
        .first()
    )
    if version_id is None:
        return None
    return site_url(reverse("notices:download", args=[tender.reference, version_id]))


def _file_document(tender: Tender, document: dict, date: str, related_lots: list[str]) -> dict:
    return drop_empty(
        {
            "id": f"{document['title']}-v{document['version']}",
            "documentType": "biddingDocuments",
            "title": document["title"],
            "url": _document_url(tender, document["title"], document["version"]),
            "datePublished": date,
            "language": "zh",
            "sha256": document.get("sha256"),
            "relatedLots": related_lots,
        }
    )


def _announcement_document(announcement: Announcement, tender: Tender) -> dict:
    return {
        "id": f"announcement-{announcement.sequence}",
        "documentType": ANNOUNCEMENT_DOCUMENT_TYPE[announcement.kind],
        "title": announcement.title,
        "url": site_url(f"{tender.get_absolute_url()}#announcement-{announcement.sequence}"),
        "datePublished": ocds_date(announcement.published_at),
        "format": "text/html",
        "language": "zh",
        "sha256": announcement.payload_sha256,
    }


def _lots_and_items(notice: dict, tender: Tender, lot_status: str) -> tuple[list[dict], list[dict]]:
    classification = (
        {"scheme": ITEM_SCHEME, "id": notice["category_code"]} if notice.get("category_code") else None
    )
    lots = [
        drop_empty(
            {
                "id": str(lot["lot"]),
                "title": lot["title"],
                "status": lot_status,
                "value": value_of(lot.get("budget")),
            }
        )
        for lot in notice.get("lots") or []
    ]
    if lots:
        items = [
            drop_empty(
                {
                    "id": f"lot-{lot['id']}",
                    "description": lot["title"],
                    "classification": classification,
                    "relatedLot": lot["id"],
                }
            )
            for lot in lots
        ]
    else:
        items = [
            drop_empty(
                {
                    "id": "1",
                    "description": notice.get("title") or tender.title,
                    "classification": classification,
                }
            )
        ]
    return lots, items


class _TenderState:
    """The tender section as the announcements published it so far, replayed one by one."""

    def __init__(self, tender: Tender, notice: dict):
        self.tender = tender
        self.notice = notice
        self.description = notice.get("requirements") or ""
        self.eligibility = notice.get("qualification_requirements") or ""
        self.deadline = notice.get("deadline")
        self.question_deadline = notice.get("question_deadline")
        self.status = "active"
        self.files: dict[str, dict] = {}
        self.announcements: list[dict] = []
        self.amendments: list[dict] = []
        self.tenderers: int | None = None
        self.date: str = ocds_date(notice.get("published_at") or tender.published_at) or ""
        for document in notice.get("documents") or []:
            self.files[document["title"]] = _file_document(tender, document, self.date, [])

    def apply(self, announcement: Announcement, previous_release_id: str | None, release_id: str) -> None:
        payload = announcement.payload
        date = ocds_date(announcement.published_at)
        if announcement.kind == AnnouncementKind.AMENDMENT:
            changes = payload.get("changes") or {}
            self.description = changes.get("requirements", self.description)
            self.eligibility = changes.get("qualification_requirements", self.eligibility)
            for document in payload.get("documents") or []:
                self.files[document["title"]] = _file_document(self.tender, document, date, [])
            self.amendments.append(
                drop_empty(
                    {
                        "id": str(announcement.sequence),
                        "date": date,
                        "rationale": payload.get("summary"),
                        "amendsReleaseID": previous_release_id,
                        "releaseID": release_id,
                    }
                )
            )
        moves_deadline = announcement.kind in (AnnouncementKind.AMENDMENT, AnnouncementKind.CLARIFICATION)
        if moves_deadline and payload.get("deadline"):
            # tenders._move_deadline shifts the question deadline by as much as the bid deadline.
            if self.deadline and self.question_deadline and payload["deadline"] != self.deadline:
                shift = _parse(payload["deadline"]) - _parse(self.deadline)
                self.question_deadline = (_parse(self.question_deadline) + shift).isoformat()
            self.deadline = payload["deadline"]
        if announcement.kind == AnnouncementKind.CANCELLATION:
            self.status = "cancelled"
        if announcement.kind == AnnouncementKind.FAILURE:
            self.status = "unsuccessful"
            if payload.get("bids_received") is not None:
                self.tenderers = int(payload["bids_received"])
        self.announcements.append(_announcement_document(announcement, self.tender))

    def section(self) -> dict:
        notice = self.notice
        lot_status = self.status
        lots, items = _lots_and_items(notice, self.tender, lot_status)
        criteria = notice.get("criteria") or []
        return drop_empty(
            {
                "id": self.tender.reference,
                "title": notice.get("title") or self.tender.title,
                "description": self.description,
                "status": self.status,
                "value": value_of(notice.get("budget")),
                "procurementMethod": PROCUREMENT_METHOD.get(notice.get("method") or ""),
                "procurementMethodDetails": self.tender.method.name,
                "mainProcurementCategory": notice.get("procurement_kind"),
                "awardCriteria": AWARD_CRITERIA.get(notice.get("evaluation_method") or ""),
                "awardCriteriaDetails": "；".join(f"{c['name']} {c['weight']}%" for c in criteria),
                "submissionMethod": ["electronicSubmission"],
                "submissionMethodDetails": "本平台电子投标（密封投标，截止时间开标）",
                "eligibilityCriteria": self.eligibility,
                "tenderPeriod": drop_empty(
                    {
                        "startDate": ocds_date(notice.get("documents_from") or notice.get("published_at")),
                        "endDate": ocds_date(self.deadline),
                    }
                ),
                "enquiryPeriod": drop_empty(
                    {"startDate": self.date, "endDate": ocds_date(self.question_deadline)}
                )
                if self.question_deadline
                else None,
                "hasEnquiries": any(a["documentType"] == "clarifications" for a in self.announcements)
                or None,
                "numberOfTenderers": self.tenderers,
                "items": items,
                "lots": lots,
                "documents": list(self.files.values()) + self.announcements,
                "amendments": list(self.amendments),
            }
        )


def _parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def announcement_release_id(tender: Tender, announcement: Announcement) -> str:
    return f"{tender_ocid(tender)}-{announcement.sequence:03d}-{announcement.kind}"


def tender_releases(tender: Tender) -> list[BuiltRelease]:
    """One release per announcement of a public tender, oldest first; each carries the whole tender
    section as it stood after that announcement (so any one release is readable on its own)."""
    announcements = list(tender.announcements.order_by("sequence"))
    notice_announcement = next((a for a in announcements if a.kind == AnnouncementKind.TENDER_NOTICE), None)
    if notice_announcement is None:
        return []
    notice = notice_announcement.payload
    parties, buyer, procuring = _tender_parties(notice, tender)
    state = _TenderState(tender, notice)
    ocid = tender_ocid(tender)
    related = []
    plan, rerun_of = tender.plan, tender.rerun_of
    if plan is not None and plan.status == PlanStatus.APPROVED:
        related.append(
            {
                "id": "plan",
                "relationship": ["planning"],
                "title": plan.title,
                "scheme": "ocid",
                "identifier": plan_ocid(plan),
            }
        )
    if rerun_of is not None:
        related.append(
            {
                "id": "rerun-of",
                "relationship": ["unsuccessfulProcess"],
                "title": rerun_of.title,
                "scheme": "ocid",
                "identifier": tender_ocid(rerun_of),
            }
        )
    built, previous_id = [], None
    for announcement in announcements:
        # Before the notice nothing is public; the awards app's announcements (result, contract)
        # become award and contract releases (reports.ocds.awards); its candidates' publicity none.
        if announcement.sequence < notice_announcement.sequence or announcement.kind not in RELEASE_TAG:
            continue
        release_id = announcement_release_id(tender, announcement)
        if announcement is not notice_announcement:
            state.apply(announcement, previous_id, release_id)
        else:
            state.announcements.append(_announcement_document(announcement, tender))
        section = state.section()
        section["procuringEntity"] = procuring
        release = release_make(
            ocid=ocid,
            release_id=release_id,
            date=ocds_date(announcement.published_at),
            tag=[RELEASE_TAG[announcement.kind]],
            parties=parties,
            buyer=buyer,
            planning={"budget": {"amount": value_of(notice.get("budget"))}},
            tender=section,
            relatedProcesses=related,
            ledgerEntry=ledger_entry_link(announcement.ledger_index, f"tender/{announcement.kind}"),
        )
        built.append(
            BuiltRelease(
                release=release,
                source=f"tenders.announcement:{announcement.pk}",
                buyer_identifier=buyer["id"],
            )
        )
        previous_id = release_id
    return built
