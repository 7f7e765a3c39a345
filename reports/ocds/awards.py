"""Award, contract and acceptance releases, built from plain facts (`AwardFacts`, `ContractFacts`,
`AcceptanceFacts`): the awards app was written beside this one, so the facts are read from what it
publishes (its result and contract announcements, its acceptance ledger entries) in one adapter,
`facts_from_publications`, and the builders are also tested with constructed facts. The result
announcement names the evaluation committee and a contact person (MOF87 Art 69): none of that is
taken, only the winner (an enterprise), the amount and the lot."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ledger.selectors import ledger_entries
from reports.ocds.releases import (
    BEIJING,
    BuiltRelease,
    drop_empty,
    ledger_entry_link,
    ocds_date,
    party_for,
    release_make,
    site_url,
    tender_ocid,
    value_of,
)
from tenders.models import Tender

# The announcement kinds the awards app publishes (tenders.constants.AnnouncementKind once merged)
# and its ledger kind for an acceptance; plain strings, so this module works before and after.
RESULT_KIND = "result"
CONTRACT_KIND = "contract"
ACCEPTANCE_KIND = "awards/acceptance"


@dataclass(frozen=True)
class SupplierFacts:
    name: str
    credit_code: str  # an enterprise always has one (suppliers validates it)


@dataclass(frozen=True)
class AwardFacts:
    """A published award (result announcement, 中标/成交结果公告)."""

    key: str  # unique within the tender, e.g. the award's id
    published_at: datetime
    title: str
    amount: Decimal | str  # as the ledger recorded it
    suppliers: list[SupplierFacts]
    lots: list[str] = field(default_factory=list)  # lot ids (SB1 lot numbers) it covers
    status: str = "active"  # awardStatus codelist
    notice_url: str = ""
    notice_sha256: str = ""
    ledger_index: int | None = None
    ledger_kind: str = "awards/award"
    source: str = ""  # e.g. "awards.award:3"


@dataclass(frozen=True)
class ContractFacts:
    """A signed contract and its public contract notice (合同公告)."""

    key: str
    award_key: str
    published_at: datetime
    title: str
    amount: Decimal | str
    signed_on: date | datetime | None = None
    period_start: date | datetime | None = None
    period_end: date | datetime | None = None
    status: str = "active"  # contractStatus codelist
    notice_url: str = ""
    notice_sha256: str = ""
    ledger_index: int | None = None
    ledger_kind: str = "awards/contract"
    source: str = ""


@dataclass(frozen=True)
class AcceptanceFacts:
    """The buyer's acceptance (履约验收) of a contract."""

    key: str
    contract_key: str
    accepted_at: datetime
    passed: bool
    report_url: str = ""
    report_sha256: str = ""
    ledger_index: int | None = None
    ledger_kind: str = "awards/acceptance"
    source: str = ""


@dataclass
class ProcessFacts:
    awards: list[AwardFacts] = field(default_factory=list)
    contracts: list[ContractFacts] = field(default_factory=list)
    acceptances: list[AcceptanceFacts] = field(default_factory=list)


# Where the facts come from: callables (tender) → ProcessFacts. By default the awards app's public
# output, read where it lands (tenders.Announcement "result" and "contract", ledger
# "awards/acceptance"), so no module of the awards app is imported; tests replace the list.
def facts_from_publications(tender: Tender) -> ProcessFacts:
    facts = ProcessFacts()
    announcements = list(
        tender.announcements.filter(kind__in=(RESULT_KIND, CONTRACT_KIND)).order_by("sequence")
    )
    award_of_lot: dict[str | None, str] = {}
    for announcement in announcements:
        payload, key = announcement.payload, f"result-{announcement.sequence}"
        notice = (
            site_url(f"{tender.get_absolute_url()}#announcement-{announcement.sequence}"),
            announcement.payload_sha256,
        )
        if announcement.kind == RESULT_KIND:
            winner = payload.get("winner") or {}
            award_of_lot[payload.get("lot")] = key
            facts.awards.append(
                AwardFacts(
                    key=key,
                    published_at=announcement.published_at,
                    title=announcement.title,
                    amount=payload.get("amount"),
                    suppliers=[
                        SupplierFacts(name=winner.get("name", ""), credit_code=winner.get("credit_code", ""))
                    ],
                    lots=[str(payload["lot"])] if payload.get("lot") else [],
                    notice_url=notice[0],
                    notice_sha256=notice[1],
                    ledger_index=announcement.ledger_index,
                    ledger_kind=f"tender/{RESULT_KIND}",
                    source=f"tenders.announcement:{announcement.pk}",
                )
            )
        else:
            facts.contracts.append(
                ContractFacts(
                    key=payload.get("contract") or f"contract-{announcement.sequence}",
                    award_key=award_of_lot.get(payload.get("lot"), ""),
                    published_at=announcement.published_at,
                    title=payload.get("title") or announcement.title,
                    amount=payload.get("amount"),
                    signed_on=_day(payload.get("signed_on")),
                    period_start=_day(payload.get("performance_from")),
                    period_end=_day(payload.get("performance_until")),
                    notice_url=notice[0],
                    notice_sha256=notice[1],
                    ledger_index=announcement.ledger_index,
                    ledger_kind=f"tender/{CONTRACT_KIND}",
                    source=f"tenders.announcement:{announcement.pk}",
                )
            )
    contract_keys = {contract.key for contract in facts.contracts}
    for entry in ledger_entries(kind=ACCEPTANCE_KIND).filter(document__payload__tender=tender.reference):
        payload = entry.document.get("payload") or {}
        if payload.get("contract") not in contract_keys:
            continue
        accepted = _day(payload.get("accepted_on"))
        facts.acceptances.append(
            AcceptanceFacts(
                key=payload["contract"],
                contract_key=payload["contract"],
                accepted_at=datetime(accepted.year, accepted.month, accepted.day, 17, tzinfo=BEIJING)
                if accepted
                else entry.created,
                passed=bool(payload.get("passed")),
                ledger_index=entry.index,
                ledger_kind=ACCEPTANCE_KIND,
                source=f"ledger.entry:{entry.index}",
            )
        )
    return facts


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


facts_sources: list[Callable[[Tender], ProcessFacts]] = [facts_from_publications]


def award_facts_for(tender: Tender) -> ProcessFacts:
    facts = ProcessFacts()
    for source in facts_sources:
        found = source(tender)
        facts.awards += found.awards
        facts.contracts += found.contracts
        facts.acceptances += found.acceptances
    return facts


def _as_date(moment: date | datetime | None) -> str | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=BEIJING)
    return ocds_date(moment)


def _notice_document(doc_id: str, document_type: str, title: str, url: str, sha256: str, date: str) -> dict:
    return drop_empty(
        {
            "id": doc_id,
            "documentType": document_type,
            "title": title,
            "url": url,
            "datePublished": date,
            "language": "zh",
            "sha256": sha256 or None,
        }
    )


def award_stage_releases(
    tender: Tender, facts: ProcessFacts, *, parties: list[dict], buyer: dict, tender_status: str = "complete"
) -> list[BuiltRelease]:
    """Releases for each award, contract and acceptance, in the tender's contracting process.
    `parties` and `buyer` are the tender releases' own (so the compiled record keeps them)."""
    ocid = tender_ocid(tender)
    suppliers = {
        s.credit_code: party_for(name=s.name, credit_code=s.credit_code, roles=["tenderer", "supplier"])
        for award in facts.awards
        for s in award.suppliers
    }
    all_parties = [*parties, *suppliers.values()]
    built: list[BuiltRelease] = []
    contracts_by_key = {contract.key: contract for contract in facts.contracts}
    for award in facts.awards:
        date = ocds_date(award.published_at)
        award_section = drop_empty(
            {
                "id": award.key,
                "title": award.title,
                "status": award.status,
                "date": date,
                "value": value_of(award.amount),
                "suppliers": [
                    {"id": suppliers[s.credit_code]["id"], "name": s.name} for s in award.suppliers
                ],
                "relatedLots": [str(lot) for lot in award.lots],
                "documents": [
                    _notice_document(
                        f"award-{award.key}",
                        "awardNotice",
                        award.title,
                        award.notice_url,
                        award.notice_sha256,
                        date,
                    )
                ]
                if award.notice_url
                else None,
            }
        )
        release = release_make(
            ocid=ocid,
            release_id=f"{ocid}-award-{award.key}",
            date=date,
            tag=["award"],
            parties=all_parties,
            buyer=buyer,
            # The awarded lots are complete too (merged into the tender's lots by their ids).
            tender=drop_empty(
                {
                    "id": tender.reference,
                    "status": tender_status,
                    "lots": [{"id": str(lot), "status": "complete"} for lot in award.lots],
                }
            ),
            awards=[award_section],
            ledgerEntry=ledger_entry_link(award.ledger_index, award.ledger_kind),
        )
        built.append(
            BuiltRelease(release, award.source or f"ocds.award:{tender.pk}:{award.key}", buyer["id"])
        )
    for contract in facts.contracts:
        date = ocds_date(contract.published_at)
        section = drop_empty(
            {
                "id": contract.key,
                "awardID": contract.award_key,
                "title": contract.title,
                "status": contract.status,
                "value": value_of(contract.amount),
                "dateSigned": _as_date(contract.signed_on),
                "period": drop_empty(
                    {"startDate": _as_date(contract.period_start), "endDate": _as_date(contract.period_end)}
                ),
                "documents": [
                    _notice_document(
                        f"contract-{contract.key}",
                        "contractNotice",
                        contract.title,
                        contract.notice_url,
                        contract.notice_sha256,
                        date,
                    )
                ]
                if contract.notice_url
                else None,
            }
        )
        release = release_make(
            ocid=ocid,
            release_id=f"{ocid}-contract-{contract.key}",
            date=date,
            tag=["contract"],
            parties=all_parties,
            buyer=buyer,
            contracts=[section],
            ledgerEntry=ledger_entry_link(contract.ledger_index, contract.ledger_kind),
        )
        built.append(
            BuiltRelease(release, contract.source or f"ocds.contract:{tender.pk}:{contract.key}", buyer["id"])
        )
    for acceptance in facts.acceptances:
        date = ocds_date(acceptance.accepted_at)
        accepted_contract = contracts_by_key.get(acceptance.contract_key)
        if accepted_contract is None:  # an acceptance of a contract never published: nothing to attach it to
            continue
        milestone = {
            "id": f"acceptance-{acceptance.key}",
            "title": "履约验收",
            "type": "delivery",
            "status": "met" if acceptance.passed else "notMet",
            "dateMet": date if acceptance.passed else None,
            "dateModified": date,
        }
        implementation = drop_empty(
            {
                "milestones": [drop_empty(milestone)],
                "documents": [
                    _notice_document(
                        f"acceptance-{acceptance.key}",
                        "completionCertificate",
                        "履约验收报告",
                        acceptance.report_url,
                        acceptance.report_sha256,
                        date,
                    )
                ]
                if acceptance.report_url
                else None,
            }
        )
        section = {
            "id": acceptance.contract_key,
            "awardID": contract.award_key,
            "implementation": implementation,
        }
        if acceptance.passed:
            section["status"] = "terminated"  # contractStatus: the contract was completed
        release = release_make(
            ocid=ocid,
            release_id=f"{ocid}-implementation-{acceptance.key}",
            date=date,
            tag=["implementation"],
            parties=all_parties,
            buyer=buyer,
            contracts=[section],
            ledgerEntry=ledger_entry_link(acceptance.ledger_index, acceptance.ledger_kind),
        )
        built.append(
            BuiltRelease(
                release, acceptance.source or f"ocds.acceptance:{tender.pk}:{acceptance.key}", buyer["id"]
            )
        )
    return built


def suppliers_of(names_and_codes: Iterable[tuple[str, str]]) -> list[SupplierFacts]:
    return [SupplierFacts(name=name, credit_code=code) for name, code in names_and_codes]
