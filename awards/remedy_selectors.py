"""Who may read what after the award: a challenge is read by its challenger, the tender's officers
and the supervisors (other bidders read only the answer sent to them); a complaint by its
complainant, the officers and the finance department; a contract by the officers, the supervisors
and the winner; a bid security by the officers and its own supplier. And every time limit each
party faces, with the days left, as rows for the pages and the API."""

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.selectors import user_has_role
from awards.deadlines import Deadline
from awards.models import BidSecurityRelease, Challenge, Complaint, Contract
from awards.periods import article
from awards.remedy_constants import (
    CHALLENGE_ANSWER,
    COMPLAINT_DECISION,
    COMPLAINT_FILING,
    CONTRACT_NOTICE,
    CONTRACT_SIGNING,
    SECURITY_RELEASE,
)
from awards.selectors import deadline_row
from awards.services.complaints import complaint_last_day
from config import clock
from suppliers.selectors import suppliers_of
from tenders.models import Tender
from tenders.permissions import is_tender_officer


def _supervisor(user: Any) -> bool:
    return bool(user.is_authenticated) and user_has_role(user=user, role=Role.SUPERVISOR)


def _officer(user: Any, tender: Tender) -> bool:
    return bool(user.is_authenticated) and is_tender_officer(user=user, tender=tender)


def own_supplier_ids(user: Any) -> set[int]:
    return set(suppliers_of(user=user).values_list("pk", flat=True)) if user.is_authenticated else set()


def challenges_visible(*, user: Any, tender: Tender) -> list[Challenge]:
    """The tender's challenges the user may read: all of them for officers and supervisors; for a
    supplier its own, and the answered ones whose answer was sent to it."""
    challenges = list(Challenge.objects.filter(tender=tender).select_related("supplier__organisation", "lot"))
    if _officer(user, tender) or _supervisor(user):
        return challenges
    mine = own_supplier_ids(user)
    return [c for c in challenges if c.supplier_id in mine or mine & set(c.answer_sent_to)]


def tender_after_award(*, user: Any, reference: str) -> Tender:
    """The tender whose after-award page the user asks for: a published one, or any for its officers."""
    from config.exceptions import NotFound

    tender = Tender.objects.select_related("buyer", "agency", "method").filter(reference=reference).first()
    if tender is None or (tender.published_at is None and not _officer(user, tender)):
        raise NotFound()
    return tender


def challenge_by_reference(reference: str) -> Challenge | None:
    return Challenge.objects.filter(reference=reference).select_related("tender").first()


def challenge_is_own(*, user: Any, challenge: Challenge) -> bool:
    return challenge.supplier_id in own_supplier_ids(user)


def complainable_challenge_ids(*, user: Any, tender: Tender) -> set[int]:
    """The user's own challenges it may still complain about: answered (or past the answer's
    deadline), no complaint yet, within the 15 working days."""
    today = clock.today_local()
    ids = set()
    for c in Challenge.objects.filter(
        tender=tender, supplier_id__in=own_supplier_ids(user), complaint__isnull=True
    ):
        last = complaint_last_day(c)
        if last is not None and today <= last:
            ids.add(c.pk)
    return ids


def complaints_visible(*, user: Any, tender: Tender) -> list[Complaint]:
    complaints = list(
        Complaint.objects.filter(challenge__tender=tender).select_related("challenge", "regulator")
    )
    if _officer(user, tender) or _supervisor(user):
        return complaints
    mine = own_supplier_ids(user)
    return [c for c in complaints if c.challenge.supplier_id in mine or c.decision_ledger_index is not None]


def contracts_visible(*, user: Any, tender: Tender) -> list[Contract]:
    contracts = list(
        Contract.objects.filter(tender=tender).select_related("supplier__organisation", "notice")
    )
    if _officer(user, tender) or _supervisor(user):
        return contracts
    mine = own_supplier_ids(user)
    return [c for c in contracts if c.supplier_id in mine]


def securities_visible(*, user: Any, tender: Tender) -> list[BidSecurityRelease]:
    releases = list(BidSecurityRelease.objects.filter(tender=tender).select_related("supplier__organisation"))
    if _officer(user, tender) or _supervisor(user):
        return releases
    mine = own_supplier_ids(user)
    return [r for r in releases if r.supplier_id in mine]


def complaint_decisions_public() -> list[Complaint]:
    """Every published complaint decision, newest first."""
    return list(
        Complaint.objects.filter(decision_ledger_index__isnull=False)
        .select_related("challenge__tender")
        .order_by("-decided_at")
    )


def _moment(day: Any) -> datetime | None:
    """A day something was done, as the moment the deadline rows compare (noon, Beijing time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(12)))


def remedy_deadlines(*, user: Any, tender: Tender) -> list[Deadline]:
    """The time limits after the award the user faces or watches on this tender."""
    deadlines: list[Deadline] = []
    for c in challenges_visible(user=user, tender=tender):
        deadlines.append(
            Deadline(
                f"challenge-answer-{c.pk}",
                _("Answer challenge %(ref)s") % {"ref": c.reference},
                c.answer_due_on,
                c.answered_at,
                article(CHALLENGE_ANSWER),
            )
        )
        last = complaint_last_day(c) if challenge_is_own(user=user, challenge=c) else None
        if last is not None:
            complaint = Complaint.objects.filter(challenge=c).first()
            deadlines.append(
                Deadline(
                    f"complaint-filing-{c.pk}",
                    _("Complain about the answer to %(ref)s") % {"ref": c.reference},
                    last,
                    complaint.filed_at if complaint else None,
                    article(COMPLAINT_FILING),
                )
            )
    for complaint in complaints_visible(user=user, tender=tender):
        if complaint.decision_due_on:
            deadlines.append(
                Deadline(
                    f"complaint-decision-{complaint.pk}",
                    _("Decide complaint %(ref)s") % {"ref": complaint.reference},
                    complaint.decision_due_on,
                    complaint.decided_at,
                    article(COMPLAINT_DECISION),
                )
            )
    for contract in contracts_visible(user=user, tender=tender):
        deadlines.append(
            Deadline(
                f"contract-sign-{contract.pk}",
                _("Sign contract %(ref)s") % {"ref": contract.reference},
                contract.sign_due_on,
                _moment(contract.signed_on),
                article(CONTRACT_SIGNING),
            )
        )
        if contract.performance_security_due_on:
            deadlines.append(
                Deadline(
                    f"performance-security-{contract.pk}",
                    _("Lodge the performance security of %(ref)s") % {"ref": contract.reference},
                    contract.performance_security_due_on,
                    _moment(contract.performance_security_received_on),
                    "GPLR Art 48",
                )
            )
        if contract.notice_due_on:
            deadlines.append(
                Deadline(
                    f"contract-notice-{contract.pk}",
                    _("Publish the contract notice of %(ref)s") % {"ref": contract.reference},
                    contract.notice_due_on,
                    contract.notice_published_at,
                    article(CONTRACT_NOTICE),
                )
            )
    for release in securities_visible(user=user, tender=tender):
        deadlines.append(
            Deadline(
                f"security-{release.pk}",
                _("Return the bid security of %(supplier)s")
                % {"supplier": release.supplier.organisation.name},
                release.due_on,
                _moment(release.released_on),
                article(SECURITY_RELEASE),
            )
        )
    return sorted(deadlines, key=lambda d: (d.done_at is not None, d.due_on))


def remedy_deadline_rows(*, user: Any, tender: Tender) -> list[dict[str, Any]]:
    """The after-award time limits `user` may see, as `awards/_deadlines.html` and the API show them."""
    return [deadline_row(d) for d in remedy_deadlines(user=user, tender=tender)]
