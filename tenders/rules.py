"""The rules a tender must satisfy before it goes to approval and again when it is published
(RULES.md "Publication and documents"), judged against the rule set of its method.

Periods are counted as RULES.md "Counting periods" writes them. A period "from first issue of the
documents" starts on the local date of issue, which itself is not counted (Civil Code Art 201);
"N days" are calendar days, so a minimum period ends on the N-th day after the issue date, or on
the first working day after it when that day is a rest day (Civil Code Art 203, MOF87 Art 85);
"N working days" skip weekends and official holidays and count the official make-up working days,
through `workdays.calendar`. "Available for N working days" means N whole days: documents available
until 00:00 of a day are not available that day.

A period that reaches into a year whose holiday schedule is not known cannot be judged: that is
one more problem listed beside its field (the editor still opens), never an error page."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procurement.constants import MethodCode
from procurement.statute import GPL_27, article_text
from procurement.thresholds import method_approval_usable, open_tender_threshold
from tenders.constants import (
    MAX_SHARE_WINDOW_S,
    READOUT_ALWAYS,
    READOUT_NAME_RE,
    ConsultationCase,
    EvaluationMethod,
    ProcurementKind,
)
from tenders.exceptions import RuleViolation
from workdays import calendar
from workdays.exceptions import CalendarYearUnknown


@dataclass(frozen=True)
class Timeline:
    """The timeline the rules judge: `issue` is when the documents are first issued (the planned
    start while in draft, the moment of publication when it is published)."""

    issue: datetime
    document_end: datetime | None
    question_deadline: datetime | None
    bid_deadline: datetime | None


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


TENDERING_METHODS = frozenset({MethodCode.OPEN_TENDER, MethodCode.INVITATION})


def is_tendering(rules: dict[str, Any]) -> bool:
    """Open and invitation tenders have bids and a bid deadline; the other methods have responses."""
    return rules.get("method") in TENDERING_METHODS


def min_bids(*, tender: Any) -> tuple[int, str]:
    """How many bids (responses) the tender needs at the deadline, and the article that says so in the
    active language: the method's own number from the tender's rule-set snapshot (single source: one;
    RULES.md "Opening"), or the lower number of the 财库〔2015〕124号 cases when a competitive
    consultation declares one of them."""
    rules = tender.rule_set or tender.method.rule_set()
    needed = int(rules.get("min_bids") or 3)
    two = rules.get("min_bids_two_supplier_cases")
    if two and tender.consultation_case and rules.get("method") == MethodCode.COMPETITIVE_CONSULTATION:
        return int(two), article_text(rules, "min_bids_two_supplier_cases")
    return needed, article_text(rules, "min_bids")


def _plain(number: Decimal) -> str:
    """30 for Decimal("30.00"), 12.5 for Decimal("12.50"): never "3E+1"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rule(rules: dict[str, Any], name: str) -> Any:
    return rules.get(name)


def _fmt(day: date) -> str:
    return day.isoformat()


def _calendar_unknown(error: CalendarYearUnknown, field: str) -> RuleViolation:
    return RuleViolation(
        "calendar_year_unknown",
        _(
            "This date cannot be checked yet: the official holiday schedule for %(year)s is not known, so "
            "working days in %(year)s cannot be counted. Choose a date the calendar covers, or ask an "
            "administrator to enter %(year)s."
        )
        % {"year": error.year},
        field,
    )


def earliest_deadline_date(*, rules: dict[str, Any], issue: datetime) -> date | None:
    """The first local date a bid deadline may fall on under `rules` when documents are issued at
    `issue`. Raises `CalendarYearUnknown` when that reaches into a year the calendar does not know."""
    issue_day = local_date(issue)
    candidates: list[date] = []
    if _rule(rules, "documents_to_deadline_days"):
        candidates.append(calendar.add_days(issue_day, int(rules["documents_to_deadline_days"])))
    if _rule(rules, "documents_to_deadline_working_days"):
        candidates.append(
            calendar.add_working_days(issue_day, int(rules["documents_to_deadline_working_days"]))
        )
    if _rule(rules, "notice_period_working_days"):
        candidates.append(calendar.add_working_days(issue_day, int(rules["notice_period_working_days"])))
    return max(candidates) if candidates else None


def timeline_violations(*, rules: dict[str, Any], timeline: Timeline) -> list[RuleViolation]:
    """Every period rule of the method the timeline breaks (accepted exactly at the limit); a
    period the calendar cannot count yet is a problem of its own, beside its field."""
    found: list[RuleViolation] = []
    unknown_fields: set[str] = set()

    def counted(field: str, count: Any) -> date | None:
        """`count()` (a date from the calendar), or None with the refusal listed once per field."""
        try:
            return count()
        except CalendarYearUnknown as error:
            if field not in unknown_fields:
                unknown_fields.add(field)
                found.append(_calendar_unknown(error, field))
            return None

    issue_day = local_date(timeline.issue)
    if timeline.bid_deadline is None:
        return [
            RuleViolation(
                "deadline_missing", _("The bid deadline is missing (MOF87 Art 13)."), "bid_deadline"
            )
        ]
    if timeline.bid_deadline <= timeline.issue:
        found.append(
            RuleViolation(
                "deadline_before_issue",
                _("The bid deadline must come after the documents are issued."),
                "bid_deadline",
            )
        )
        return found
    deadline_day = local_date(timeline.bid_deadline)

    days = _rule(rules, "documents_to_deadline_days")
    days_earliest = days and counted("bid_deadline", lambda: calendar.add_days(issue_day, int(days)))
    if days_earliest and deadline_day < days_earliest:
        values = {
            "days": days,
            "issue": _fmt(issue_day),
            "earliest": _fmt(days_earliest),
            "article": article_text(rules, "documents_to_deadline_days"),
        }
        if is_tendering(rules):
            message = _(
                "The bid deadline must be at least %(days)s days after the documents are first issued "
                "(%(issue)s), so not before %(earliest)s (%(article)s)."
            )
        else:
            message = _(
                "The response deadline must be at least %(days)s days after the documents are first issued "
                "(%(issue)s), so not before %(earliest)s (%(article)s)."
            )
        found.append(RuleViolation("documents_to_deadline_days", message % values, "bid_deadline"))
    working = _rule(rules, "documents_to_deadline_working_days")
    if working:
        earliest = counted("bid_deadline", lambda: calendar.add_working_days(issue_day, int(working)))
        if earliest and deadline_day < earliest:
            found.append(
                RuleViolation(
                    "documents_to_deadline_working_days",
                    _(
                        "The first response must be at least %(days)s working days after the documents are issued "
                        "(%(issue)s), so not before %(earliest)s (%(article)s)."
                    )
                    % {
                        "days": working,
                        "issue": _fmt(issue_day),
                        "earliest": _fmt(earliest),
                        "article": article_text(rules, "documents_to_deadline_working_days"),
                    },
                    "bid_deadline",
                )
            )
    notice = _rule(rules, "notice_period_working_days")
    if notice:
        earliest = counted("bid_deadline", lambda: calendar.add_working_days(issue_day, int(notice)))
        if earliest and deadline_day < earliest:
            found.append(
                RuleViolation(
                    "notice_period_working_days",
                    _(
                        "The tender notice must be public for %(days)s working days from first publication "
                        "(%(issue)s) before the deadline, so not before %(earliest)s (MOF87 Art 16)."
                    )
                    % {"days": notice, "issue": _fmt(issue_day), "earliest": _fmt(earliest)},
                    "bid_deadline",
                )
            )

    doc_working = _rule(rules, "document_period_working_days")
    doc_days = _rule(rules, "document_period_days")
    if (doc_working or doc_days) and timeline.document_end is None:
        found.append(
            RuleViolation(
                "document_end_missing",
                _("Say until when the documents can be obtained (MOF87 Art 13)."),
                "document_end",
            )
        )
    elif timeline.document_end is not None:
        end_day = calendar.last_whole_day(timeline.document_end)
        if doc_working:
            earliest = counted("document_end", lambda: calendar.add_working_days(issue_day, int(doc_working)))
            if earliest and end_day < earliest:
                found.append(
                    RuleViolation(
                        "document_period_working_days",
                        _(
                            "The documents must be available for at least %(days)s working days from %(issue)s, "
                            "so until %(earliest)s or later (%(article)s)."
                        )
                        % {
                            "days": doc_working,
                            "issue": _fmt(issue_day),
                            "earliest": _fmt(earliest),
                            "article": article_text(rules, "document_period_working_days"),
                        },
                        "document_end",
                    )
                )
        doc_earliest = doc_days and counted(
            "document_end", lambda: calendar.add_days(issue_day, int(doc_days))
        )
        if doc_earliest and end_day < doc_earliest:
            found.append(
                RuleViolation(
                    "document_period_days",
                    _(
                        "The documents must be available for at least %(days)s days from %(issue)s, "
                        "so until %(earliest)s or later (BLR Art 16)."
                    )
                    % {
                        "days": doc_days,
                        "issue": _fmt(issue_day),
                        "earliest": _fmt(doc_earliest),
                    },
                    "document_end",
                )
            )
        if timeline.document_end > timeline.bid_deadline:
            found.append(
                RuleViolation(
                    "document_end_after_deadline",
                    _("The documents cannot be available after the bid deadline."),
                    "document_end",
                )
            )
    if timeline.question_deadline is not None and timeline.question_deadline > timeline.bid_deadline:
        found.append(
            RuleViolation(
                "question_deadline_after_deadline",
                _("The deadline for questions must be before the bid deadline."),
                "question_deadline",
            )
        )
    return found


def tender_violations(*, tender: Any, rules: dict[str, Any], issue: datetime) -> list[RuleViolation]:
    """All rules the tender breaks if its documents are issued at `issue`: the notice fields of
    MOF87 Art 13, the periods, the price weight, the bid security and the custodians."""
    found: list[RuleViolation] = []
    found += notice_field_violations(tender=tender)
    found += timeline_violations(
        rules=rules,
        timeline=Timeline(
            issue=issue,
            document_end=tender.document_end,
            question_deadline=tender.question_deadline,
            bid_deadline=tender.bid_deadline,
        ),
    )
    found += money_violations(tender=tender, rules=rules)
    found += consultation_case_violations(tender=tender, rules=rules)
    found += threshold_violations(tender=tender, rules=rules, on=local_date(issue))
    found += plan_violations(tender=tender)
    found += single_source_violations(tender=tender, rules=rules, issue=issue)
    found += criteria_violations(tender=tender, rules=rules)
    found += custodian_violations(tender=tender)
    found += readout_violations(readout=tender.readout_fields, items=tender.readout_items)
    return found


def notice_field_violations(*, tender: Any) -> list[RuleViolation]:
    """MOF87 Art 13: what every notice must name."""
    required = [
        ("buyer_id", _("the buyer")),
        ("title", _("the project title")),
        ("budget", _("the budget")),
        ("max_price", _("the maximum price")),
        ("description", _("the requirements")),
        ("qualification_requirements", _("the qualification requirements")),
        ("document_instructions", _("how to obtain the documents")),
        ("document_start", _("when the documents can be obtained")),
        ("bid_deadline", _("the bid deadline")),
        ("opening_place", _("the opening place")),
        ("contact_name", _("the contact person")),
        ("contact_phone", _("the contact phone")),
    ]
    found = []
    for field, label in required:
        value = getattr(tender, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            found.append(
                RuleViolation(
                    f"notice_field:{field.removesuffix('_id')}",
                    _("The notice must name %(what)s (MOF87 Art 13).") % {"what": label},
                    field.removesuffix("_id"),
                )
            )
    if tender.pk and not tender.documents.filter(versions__isnull=False).exists():
        found.append(
            RuleViolation(
                "notice_field:documents", _("Attach the tender documents (MOF87 Art 13)."), "documents"
            )
        )
    return found


def consultation_case_violations(*, tender: Any, rules: dict[str, Any]) -> list[RuleViolation]:
    """财库〔2015〕124号: only a competitive consultation may declare a two-supplier case."""
    if tender.consultation_case and not rules.get("min_bids_two_supplier_cases"):
        return [
            RuleViolation(
                "consultation_case_method",
                _(
                    "Only a competitive consultation may declare one of the cases of Caiku [2015] No. 124 "
                    "(“%(case)s”); this method needs its own minimum of bids."
                )
                % {"case": ConsultationCase(tender.consultation_case).label},
                "consultation_case",
            )
        ]
    return []


def threshold_violations(*, tender: Any, rules: dict[str, Any], on: date) -> list[RuleViolation]:
    """GPL Arts 27–28: at or above the open-tender threshold another method needs the finance
    department's approval of that method (`tender.method_approval`, approved, for at least this budget)."""
    if tender.budget is None or rules.get("method") == MethodCode.OPEN_TENDER:
        return []
    threshold = open_tender_threshold(
        region=tender.buyer.region,
        procurement_kind=tender.procurement_kind,
        category_code=tender.category_code,
        on=on,
    )
    if threshold is None or tender.budget < threshold.amount:
        return []
    if method_approval_usable(
        approval=tender.method_approval, buyer_id=tender.buyer_id, method=tender.method, budget=tender.budget
    ):
        return []
    return [
        RuleViolation(
            "open_tender_threshold",
            _(
                "The budget reaches the open-tender threshold of CNY %(amount)s (%(source)s): this purchase "
                "must be an open tender unless the finance department approves this method (%(article)s)."
            )
            % {"amount": f"{threshold.amount:,.2f}", "source": threshold.source, "article": GPL_27.text()},
            "method",
        )
    ]


def _threshold_reached(*, tender: Any, on: date) -> bool:
    threshold = open_tender_threshold(
        region=tender.buyer.region,
        procurement_kind=tender.procurement_kind,
        category_code=tender.category_code,
        on=on,
    )
    return threshold is not None and tender.budget is not None and tender.budget >= threshold.amount


def publicity_period_end(*, tender: Any, rules: dict[str, Any], issue: datetime) -> date | None:
    """The last day of the single-source publicity (GPLR Art 38) when the notice is first published
    at `issue`: the N-th working day after it, when the method has the rule and the budget reaches
    the open-tender threshold; None otherwise. Raises `CalendarYearUnknown` past the calendar."""
    days = rules.get("publicity_working_days")
    if not days or not _threshold_reached(tender=tender, on=local_date(issue)):
        return None
    return calendar.add_working_days(local_date(issue), int(days))


def publicity_ends(*, tender: Any) -> date | None:
    """The last day objections to a published tender's single-source publicity are taken (to 24:00)."""
    if tender.published_at is None:
        return None
    return publicity_period_end(tender=tender, rules=tender.rule_set or {}, issue=tender.published_at)


def single_source_violations(*, tender: Any, rules: dict[str, Any], issue: datetime) -> list[RuleViolation]:
    """Single source names the sole supplier and the reason; where the budget reaches the open-tender
    threshold the procurement goes on (the deadline) only after N whole working days of publicity."""
    if not rules.get("publicity_working_days"):
        return []
    found = []
    article = article_text(rules, "publicity_working_days")
    if not tender.sole_supplier.strip():
        found.append(
            RuleViolation(
                "sole_supplier_missing",
                _("Name the sole supplier (%(article)s).") % {"article": article},
                "sole_supplier",
            )
        )
    if not tender.sole_supplier_reason.strip():
        found.append(
            RuleViolation(
                "sole_supplier_reason_missing",
                _("Say why only this supplier can supply (%(article)s).") % {"article": article},
                "sole_supplier_reason",
            )
        )
    try:
        ends = publicity_period_end(tender=tender, rules=rules, issue=issue)
    except CalendarYearUnknown as error:
        return [*found, _calendar_unknown(error, "bid_deadline")]
    if ends is not None and tender.bid_deadline is not None and local_date(tender.bid_deadline) <= ends:
        found.append(
            RuleViolation(
                "publicity_working_days",
                _(
                    "The budget reaches the open-tender threshold: the project and the sole supplier are "
                    "publicised for %(days)s working days from %(issue)s, until %(ends)s, so the deadline "
                    "cannot be before %(earliest)s (%(article)s)."
                )
                % {
                    "days": rules["publicity_working_days"],
                    "issue": _fmt(local_date(issue)),
                    "ends": _fmt(ends),
                    "earliest": _fmt(ends + timedelta(days=1)),
                    "article": article,
                },
                "bid_deadline",
            )
        )
    return found


def plan_violations(*, tender: Any) -> list[RuleViolation]:
    """The approved plan binds the tender: its method (unless the finance department approved a
    switch) and its budget as a ceiling; anything else needs the plan amended through approval."""
    plan = tender.plan
    if plan is None:
        return []
    found = []
    switched = method_approval_usable(
        approval=tender.method_approval,
        buyer_id=tender.buyer_id,
        method=tender.method,
        budget=tender.budget or 0,
    )
    if plan.method_id != tender.method_id and not switched:
        found.append(
            RuleViolation(
                "plan_method",
                _(
                    "The procurement plan was approved for %(plan_method)s: use that method, or have the plan "
                    "amended through approval."
                )
                % {"plan_method": plan.method.name},
                "method",
            )
        )
    if tender.budget is not None and tender.budget > plan.budget:
        found.append(
            RuleViolation(
                "plan_budget",
                _(
                    "The budget exceeds the procurement plan's CNY %(plan_budget)s: have the plan amended "
                    "through approval first."
                )
                % {"plan_budget": f"{plan.budget:,.2f}"},
                "budget",
            )
        )
    return found


def money_violations(*, tender: Any, rules: dict[str, Any]) -> list[RuleViolation]:
    found = []
    budget: Decimal | None = tender.budget
    if budget is None or budget <= 0:
        return [RuleViolation("budget_positive", _("The budget must be more than zero."), "budget")]
    if tender.max_price is not None and tender.max_price > budget:
        found.append(
            RuleViolation(
                "max_price_over_budget",
                _("The maximum price cannot exceed the budget (MOF87 Art 12)."),
                "max_price",
            )
        )
    limit_percent = Decimal(str(rules.get("bid_security_max_percent") or "2"))
    limit = (budget * limit_percent / 100).quantize(Decimal("0.01"))
    if tender.bid_security and tender.bid_security > limit:
        found.append(
            RuleViolation(
                "bid_security_max_percent",
                _("The bid security may be at most %(percent)s%% of the budget, CNY %(limit)s (%(article)s).")
                % {
                    "percent": _plain(limit_percent),
                    "limit": f"{limit:,.2f}",
                    "article": article_text(rules, "bid_security_max_percent"),
                },
                "bid_security",
            )
        )
    if tender.pk:
        lots = list(tender.lots.all())
        if lots and sum((lot.budget for lot in lots), Decimal(0)) != budget:
            found.append(
                RuleViolation(
                    "lot_budgets_sum", _("The lots' budgets must add up to the tender's budget."), "lots"
                )
            )
    return found


def criteria_violations(*, tender: Any, rules: dict[str, Any]) -> list[RuleViolation]:
    """Comprehensive scoring: weights total 100 and the price weight meets MOF87 Art 55."""
    if tender.evaluation_method != EvaluationMethod.COMPREHENSIVE or not tender.pk:
        return []
    criteria = list(tender.criteria.all())
    found = []
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != 100:
        found.append(
            RuleViolation(
                "criteria_total",
                _("The criteria weights must add up to 100%% (they add up to %(total)s%%).")
                % {"total": _plain(total)},
                "criteria",
            )
        )
    price_weight = sum((c.weight for c in criteria if c.is_price), Decimal(0))
    minimum_field = {
        ProcurementKind.GOODS: "price_weight_min_goods_percent",
        ProcurementKind.SERVICES: "price_weight_min_services_percent",
    }.get(tender.procurement_kind)
    if minimum_field and rules.get(minimum_field) is not None:
        minimum = Decimal(str(rules[minimum_field]))
        if price_weight < minimum:
            found.append(
                RuleViolation(
                    "price_weight_min",
                    _(
                        "The price weight must be at least %(min)s%% for %(kind)s (MOF87 Art 55); it is %(weight)s%%."
                    )
                    % {
                        "min": _plain(minimum),
                        "kind": ProcurementKind(tender.procurement_kind).label.lower(),
                        "weight": _plain(price_weight),
                    },
                    "criteria",
                )
            )
    return found


def custodian_violations(*, tender: Any) -> list[RuleViolation]:
    """SEALED_BIDS.md "Keys": 2 ≤ k ≤ n custodians, each holding the key_custodian role."""
    found = []
    k = tender.threshold_k
    n = tender.custodians.count() if tender.pk else 0
    if k < 2:
        found.append(
            RuleViolation(
                "threshold_min",
                _("At least 2 custodians must be needed to open the bids (k ≥ 2)."),
                "threshold_k",
            )
        )
    if n < k:
        found.append(
            RuleViolation(
                "custodians_below_threshold",
                _(
                    "The bids need %(k)s custodians to open but only %(n)s are assigned; assign at least %(k)s."
                )
                % {"k": k, "n": n},
                "custodians",
            )
        )
    if not 1 <= tender.share_window_s <= MAX_SHARE_WINDOW_S:
        found.append(
            RuleViolation(
                "share_window", _("The share window must be between 1 second and 7 days."), "share_window_s"
            )
        )
    return found


def readout_violations(*, readout: Any, items: Any = None) -> list[RuleViolation]:
    if not isinstance(readout, list) or any(not isinstance(n, str) for n in readout):
        return [
            RuleViolation(
                "readout_format", _("The read-out fields must be a list of names."), "readout_fields"
            )
        ]
    bad = [n for n in readout if not READOUT_NAME_RE.fullmatch(n)]
    if bad:
        return [
            RuleViolation(
                "readout_name",
                _(
                    "Read-out field names use lowercase letters, digits and “_”, start with a letter and have at most 32 "
                    "characters: %(names)s."
                )
                % {"names": ", ".join(bad)},
                "readout_fields",
            )
        ]
    if len(set(readout)) != len(readout):
        return [
            RuleViolation("readout_distinct", _("The read-out fields must be distinct."), "readout_fields")
        ]
    if tuple(readout[:2]) != READOUT_ALWAYS:
        return [
            RuleViolation(
                "readout_price", _("The read-out always begins with price and currency."), "readout_fields"
            )
        ]
    from tenders.readout import custom_problems

    return [RuleViolation("readout_item", text, "readout_fields") for text in custom_problems(readout, items)]


def normalise_readout(names: list[str]) -> list[str]:
    """price and currency first, then the officer's names in their order, without repeats."""
    out = list(READOUT_ALWAYS)
    for name in names:
        name = name.strip()
        if name and name not in out:
            out.append(name)
    return out
