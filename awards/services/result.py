"""The result announcement (中标/成交结果公告) with every field MOF87 Art 69 lists, frozen and
ledgered like every tender announcement, published with the notices to the bidders: the signed
award notice (中标/成交通知书) to the winner, and to every other bidder its own scores, rank and the
reason it did not win (MOF87 Art 69: at the same time as the announcement)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record
from accounts.models import User
from awards import constants
from awards.constants import AwardStatus, NoticeKind
from awards.deadlines import announcement_due, is_tendering
from awards.exceptions import AwardError, AwardRefused
from awards.models import AwardDecision, BidderNotice, ResultAnnouncement
from awards.selectors import money
from awards.services.common import require_officer, tender_locked
from bidding.ceremony_constants import BidOpeningState
from bidding.selectors.opened import bid_openings
from config import clock
from evaluation.constants import MemberState
from evaluation.models import CommitteeMember, ComplianceFinding
from evaluation.results import evaluation_results
from reports.services import signed_document_issue
from tenders.constants import AnnouncementKind
from tenders.services import tender_announce, tender_award

ITEM_FIELDS = ("name", "specification", "quantity", "unit_price", "service")


def outcome_word(tender) -> str:
    """中标 for a tender under the Bidding Law's methods, 成交 for the non-tender methods."""
    with translation.override("zh-hans"):
        return (
            pgettext("award outcome", "Award") if is_tendering(tender) else pgettext("award outcome", "Deal")
        )


def _items(main_items: Any) -> list[dict[str, str]]:
    """The main items (MOF87 Art 69): each with a name; specification, quantity, unit price and
    service requirements as given. At least one."""
    items = []
    for raw in main_items or []:
        if not isinstance(raw, dict):
            raise AwardError(_("Each main item is a name with its specification, quantity and unit price."))
        item = {key: str(raw.get(key) or "").strip() for key in ITEM_FIELDS}
        if not item["name"]:
            continue
        if item["unit_price"]:
            try:
                item["unit_price"] = f"{Decimal(item['unit_price']):.2f}"
            except InvalidOperation:
                raise AwardError(_("A unit price is an amount in CNY, e.g. 12500.00.")) from None
        items.append(item)
    if not items:
        raise AwardError(_("Name at least one main item of the award (MOF87 Art 69)."))
    return items


def committee_names(tender) -> list[dict[str, str]]:
    """The committee's members by name: public only in the result announcement (MOF87 Art 69)."""
    members = CommitteeMember.objects.filter(tender=tender, state=MemberState.CONFIRMED).select_related(
        "user"
    )
    return [
        {"name": m.user.full_name or m.user.get_username(), "kind": m.kind}
        for m in members.order_by("invited_at", "pk")
    ]


def result_payload(
    decision: AwardDecision, *, main_items: list, agency_fee: Decimal | None
) -> dict[str, Any]:
    tender = decision.tender
    supplier = decision.supplier
    return {
        "type": "yizhan/result-announcement",
        "tender": tender.reference,
        "outcome": "award" if is_tendering(tender) else "deal",
        "project": {
            "reference": tender.reference,
            "title": tender.title,
            "method": tender.method.code,
            "budget": money(tender.budget),
            "category_code": tender.category_code,
            "region": tender.region,
        },
        "lot": decision.lot.sb1_id if decision.lot is not None else None,
        "buyer": {"name": tender.buyer.name, "credit_code": tender.buyer.credit_code},
        "agency": {"name": tender.agency.name, "credit_code": tender.agency.credit_code}
        if tender.agency
        else None,
        "contact": {"name": tender.contact_name, "phone": tender.contact_phone},
        "winner": {
            "name": supplier.organisation.name,
            "address": supplier.address,
            "credit_code": supplier.organisation.credit_code,
        },
        "amount": money(decision.amount),
        "currency": "CNY",
        "rank": decision.rank,
        "reason": decision.reason,
        "reason_detail": decision.reason_detail,
        "main_items": main_items,
        "committee": committee_names(tender),
        "agency_fee": money(agency_fee),
        "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
        "notice_period_working_days": constants.RESULT_NOTICE_WORKING_DAYS,
    }


def result_text(payload: dict[str, Any], decision: AwardDecision) -> tuple[str, str]:
    """Title and readable text of the announcement, in Chinese (what the notice page shows)."""
    tender = decision.tender
    with translation.override("zh-hans"):
        word = outcome_word(tender)
        title = gettext("%(title)s: %(word)s result announcement") % {"title": tender.title, "word": word}
        winner = payload["winner"]
        lines = [
            gettext("Project: %(reference)s %(title)s") % payload["project"],
            gettext("Buyer: %(name)s") % payload["buyer"],
            gettext("Procurement agency: %(name)s") % (payload["agency"] or {"name": "—"}),
            gettext(
                "Winning supplier: %(name)s, address %(address)s, unified social credit code %(credit_code)s"
            )
            % winner,
            gettext("Amount: CNY %(amount)s") % payload,
            gettext("Main items:"),
        ]
        for item in payload["main_items"]:
            lines.append(
                "  "
                + gettext(
                    "%(name)s; specification %(specification)s; quantity %(quantity)s; unit price %(unit_price)s; %(service)s"
                )
                % {k: (v or "—") for k, v in item.items()}
            )
        lines.append(
            gettext("Evaluation committee: %(names)s")
            % {"names": "、".join(m["name"] for m in payload["committee"])}
        )
        lines.append(gettext("Agency fee: CNY %(fee)s") % {"fee": payload["agency_fee"] or "—"})
        if decision.reason != constants.AwardReason.FIRST_CANDIDATE:
            lines.append(
                gettext("The winner was ranked %(rank)s: %(reason)s. %(detail)s")
                % {
                    "rank": decision.rank,
                    "reason": decision.get_reason_display(),
                    "detail": decision.reason_detail,
                }
            )
        lines.append(
            gettext("This announcement stays up for %(days)s working day(s) (MOF87 Art 69).")
            % {"days": constants.RESULT_NOTICE_WORKING_DAYS}
        )
    return title, "\n".join(lines)


def _own_scores(row: dict[str, Any] | None, criteria) -> dict[str, Any]:
    if row is None:
        return {"passed": False}
    return {
        "passed": row["passed"],
        "price": money(row["price"]),
        "evaluated_price": money(row["evaluated_price"]),
        "price_score": money(row["price_score"]),
        "criteria": [{"name": c.name, "points": money(row["criteria"].get(c.pk))} for c in criteria],
        "total": money(row["total"]),
    }


def _loss_reason(opening, row: dict[str, Any] | None, decision: AwardDecision, ranked: int) -> str:
    with translation.override("zh-hans"):
        if opening.state == BidOpeningState.FAILED or row is None:
            return gettext("Your bid could not be opened at the opening (%(code)s).") % {
                "code": opening.reason or "—"
            }
        if row["above_max_price"]:
            return gettext("Your price is above the maximum price: the bid did not pass the review.")
        if not row["passed"]:
            reasons = [
                f.reason
                for f in ComplianceFinding.objects.filter(opening=opening, compliant=False)
                if f.reason
            ]
            text = gettext("Your bid did not pass the qualification and compliance review by majority.")
            return text + (" " + "；".join(sorted(set(reasons))) if reasons else "")
        return gettext(
            "Your bid ranked %(rank)s of %(count)s; the award went to the candidate ranked %(winner)s."
        ) % {
            "rank": row["rank"],
            "count": ranked,
            "winner": decision.rank,
        }


def _notices_issue(decision: AwardDecision, payload: dict[str, Any]) -> list[BidderNotice]:
    tender = decision.tender
    now = clock.now()
    results = {row["opening"].pk: row for row in evaluation_results(tender)}
    ranked = sum(1 for row in results.values() if row["rank"] is not None)
    criteria = list(tender.criteria.filter(is_price=False).order_by("position"))
    notices = []
    for opening in bid_openings(tender_id=tender.pk):
        row = results.get(opening.pk)
        winner = opening.pk == decision.opening_id
        notice = BidderNotice.objects.create(
            decision=decision,
            supplier=opening.supplier,
            opening=opening,
            kind=NoticeKind.AWARD if winner else NoticeKind.RESULT,
            rank=row["rank"] if row else None,
            scores=_own_scores(row, criteria),
            reason="" if winner else _loss_reason(opening, row, decision, ranked),
            issued_at=now,
        )
        if winner:
            with translation.override("zh-hans"):
                title = gettext("%(word)s notice of %(ref)s") % {
                    "word": outcome_word(tender),
                    "ref": tender.reference,
                }
                document = signed_document_issue(
                    kind="award_notice",
                    title=title,
                    template_name="awards/award_notice.html",
                    context={"tender": tender, "decision": decision, "payload": payload, "notice": notice},
                    subject_ref=f"awards.notice:{notice.pk}",
                    filename=f"award-notice-{tender.reference}.pdf",
                )
            notice.document = document
            notice.save(update_fields=["document"])
        notices.append(notice)
        _notice_mail(tender, opening.supplier)
    return notices


def _notice_mail(tender, supplier) -> None:
    """Tell the bidder its notice is waiting on its own page (the mail carries no scores)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    if not supplier.contact_email:
        return
    with translation.override("zh-hans"):
        subject = gettext("The result of %(ref)s: your notice") % {"ref": tender.reference}
        body = gettext("The result of %(ref)s %(title)s is announced. Read your notice at %(url)s") % {
            "ref": tender.reference,
            "title": tender.title,
            "url": settings.SITE_URL + reverse("awards:mine", args=[tender.reference]),
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [supplier.contact_email]))


@transaction.atomic
def result_announce(
    *, decision_id: int, by: User, main_items: list, agency_fee: Decimal | str | None = None
) -> ResultAnnouncement:
    """Publish the result of an approved decision and send every bidder its notice.

    Before: the decision is decided (approved) and not yet announced; `by` is an officer of the
    tender; at least one main item. After: a "result" announcement on the tender's notice page with
    every MOF87 Art 69 field (the committee's names for the first time), its canonical JSON's hash
    in the ledger as "tender/result" (the hash only: no name enters the ledger); the tender awarded;
    the winner's signed award notice and each other bidder's own result notice; subscribers and
    document holders mailed. Later than 2 working days after the decision it is still published,
    recorded as late."""
    decision = AwardDecision.objects.select_for_update(of=("self",)).filter(pk=decision_id).first()
    if decision is None:
        raise AwardError(_("No such award decision."))
    tender = tender_locked(decision.tender_id)
    require_officer(by, tender)
    if decision.status != AwardStatus.DECIDED:
        raise AwardRefused(_("Only an approved decision is announced, and only once."))
    items = _items(main_items)
    fee = None
    if agency_fee not in (None, ""):
        try:
            fee = Decimal(str(agency_fee)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise AwardError(_("The agency fee is an amount in CNY, e.g. 6800.00.")) from None
        if fee < 0:
            raise AwardError(_("The agency fee is an amount in CNY, e.g. 6800.00."))
    elif tender.agency_id:
        raise AwardError(_("Give the agency fee: the announcement states it (MOF87 Art 69)."))
    decision.tender = tender
    payload = result_payload(decision, main_items=items, agency_fee=fee)
    title, body = result_text(payload, decision)
    announcement = tender_announce(
        tender=tender, kind=AnnouncementKind.RESULT, title=title, body=body, by=by, payload=payload
    )
    late = timezone.localdate(announcement.published_at) > announcement_due(
        timezone.localdate(decision.decided_at)
    )
    result = ResultAnnouncement.objects.create(
        decision=decision, announcement=announcement, main_items=items, agency_fee=fee, late=late
    )
    decision.status = AwardStatus.ANNOUNCED
    decision.save(update_fields=["status"])
    tender_award(tender_id=tender.pk, by=by)
    _notices_issue(decision, payload)
    audit_record(action="awards.result_announce", operator=by, address=None, path=tender.reference)
    return result
