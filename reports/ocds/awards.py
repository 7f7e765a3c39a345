"""Award, contract and acceptance releases, built from plain facts (`AwardFacts`, `ContractFacts`,
`AcceptanceFacts`) rather than from the `awards` app's models directly: the awards app was being
written beside this one, so `award_facts_for(tender)` is the one place that reads it, and the
builders below are tested with constructed facts. A source that yields no facts yields no release."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from reports.ocds.releases import (
    BEIJING,
    BuiltRelease,
    drop_empty,
    ledger_entry_link,
    ocds_date,
    party_for,
    release_make,
    tender_ocid,
    value_of,
)
from tenders.models import Tender


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


# Where the awards app's facts come from: a callable (tender) → ProcessFacts. Registered by whoever
# connects the awards app (reports.ocds.awards_source), replaced in tests; none means no releases.
facts_sources: list[Callable[[Tender], ProcessFacts]] = []


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
            tender={"id": tender.reference, "status": tender_status},
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
        contract = contracts_by_key.get(acceptance.contract_key)
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
        section = {"id": acceptance.contract_key, "implementation": implementation}
        if acceptance.passed and contract is not None:
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
