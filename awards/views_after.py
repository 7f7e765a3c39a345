"""Pages after the award, one per tender for every party (each sees what it may and the time limits
it faces, with the days left), the actions each role takes there, and the public list of complaint
decisions. Views parse a form, call one service, and come back to the page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from awards import remedy_selectors as after
from awards import selectors
from awards.forms_after import (
    AcceptanceForm,
    ChallengeAnswerForm,
    ChallengeForm,
    ComplaintDecisionForm,
    ComplaintForm,
    ComplaintStatusForm,
    ContractForm,
    DayForm,
    SignForm,
)
from awards.remedy_constants import ChallengeSubject
from awards.services import challenges, complaints, contracts, securities
from config.exceptions import DomainError
from suppliers.selectors import supplier_of


def _with_forms(items: Any, **form_classes: Any) -> list[Any]:
    """Each item with its own forms, their field ids carrying the item's key, so a page with several
    challenges or contracts never repeats an id (a label must name exactly one field)."""
    listed = list(items)
    for item in listed:
        for name, form_class in form_classes.items():
            setattr(item, name, form_class(auto_id=f"id_{name}_{item.pk}_%s"))
    return listed


def _context(request: AuthenticatedHttpRequest, tender: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    supplier = supplier_of(user=user)
    may_challenge = supplier is not None and any(
        challenges.may_challenge(supplier=supplier, tender=tender, subject=subject)
        for subject in ChallengeSubject.values
    )
    decision = selectors.decision_current(tender)
    return {
        "tender": tender,
        "deadlines": after.remedy_deadline_rows(user=user, tender=tender),
        "challenges": _with_forms(
            after.challenges_visible(user=user, tender=tender),
            answer_form=ChallengeAnswerForm,
            complaint_form=ComplaintForm,
        ),
        "complaints": _with_forms(
            after.complaints_visible(user=user, tender=tender),
            status_form=ComplaintStatusForm,
            decide_form=ComplaintDecisionForm,
        ),
        "contracts": _with_forms(
            after.contracts_visible(user=user, tender=tender),
            day_form=DayForm,
            sign_form=SignForm,
            acceptance_form=AcceptanceForm,
        ),
        "securities": after.securities_visible(user=user, tender=tender),
        "own_suppliers": after.own_supplier_ids(user),
        "complainable": after.complainable_challenge_ids(user=user, tender=tender),
        "is_officer": selectors.may_manage(user=user, tender=tender),
        "is_regulator": after._supervisor(user),
        "may_challenge": may_challenge,
        "decision": decision,
        "challenge_form": forms.get("challenge_form") or ChallengeForm(lots=list(tender.lots.all())),
        "contract_form": forms.get("contract_form")
        or ContractForm(initial={"title": tender.title, "amount": decision.amount if decision else None}),
        "form_errors": forms.get("form_errors"),
    }


@login_required
def after_award(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Challenges, complaints, contracts and bid securities of one tender, as the user may see them."""
    tender = after.tender_after_award(user=request.user, reference=reference)
    return render(request, "awards/after.html", _context(request, tender))


def challenge_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Where the approval of an answer points: the tender's page at the challenge."""
    challenge = after.challenge_by_reference(reference)
    if challenge is None:
        raise Http404()
    return redirect(f"/awards/tenders/{challenge.tender.reference}/after/#{challenge.reference}")


# action → (form class, service call taking (form data, user, tender, object id), success message)
Action = tuple[type | None, Callable[..., Any], Any]
ACTIONS: dict[str, Action] = {
    "challenge": (
        ChallengeForm,
        lambda d, user, tender, pk: challenges.challenge_file(
            tender_id=tender.pk,
            by=user,
            subject=d["subject"],
            known_on=d["known_on"],
            reasons=d["reasons"],
            lot_id=d.get("lot"),
            evidence=d.get("evidence") or [],
        ),
        gettext_lazy("Your challenge was filed; the buyer's answer is due within 7 working days."),
    ),
    "answer": (
        ChallengeAnswerForm,
        lambda d, user, tender, pk: challenges.challenge_answer(
            challenge_id=pk, by=user, upheld=d["upheld"], answer=d["answer"]
        ),
        gettext_lazy("The answer was sent to the challenger and every affected supplier."),
    ),
    "complaint": (
        ComplaintForm,
        lambda d, user, tender, pk: complaints.complaint_lodge(
            challenge_id=pk, by=user, reasons=d["reasons"]
        ),
        gettext_lazy("Your complaint was lodged with the finance department."),
    ),
    "complaint-status": (
        ComplaintStatusForm,
        lambda d, user, tender, pk: complaints.complaint_status_set(
            complaint_id=pk, by=user, status=d["status"], note=d["note"]
        ),
        gettext_lazy("The complaint's status was changed."),
    ),
    "complaint-decide": (
        ComplaintDecisionForm,
        lambda d, user, tender, pk: complaints.complaint_decide(
            complaint_id=pk, by=user, outcome=d["outcome"], decision=d["decision"]
        ),
        gettext_lazy("The decision was published."),
    ),
    "contract": (
        ContractForm,
        lambda d, user, tender, pk: contracts.contract_create(award_id=pk, by=user, **d),
        gettext_lazy("The contract was recorded."),
    ),
    "security-received": (
        DayForm,
        lambda d, user, tender, pk: contracts.performance_security_record(
            contract_id=pk, by=user, received_on=d["day"]
        ),
        gettext_lazy("The performance security was recorded."),
    ),
    "sign": (
        SignForm,
        lambda d, user, tender, pk: contracts.contract_sign(contract_id=pk, by=user, **d),
        gettext_lazy("The signed contract was recorded."),
    ),
    "notice": (
        None,
        lambda d, user, tender, pk: contracts.contract_notice_publish(contract_id=pk, by=user),
        gettext_lazy("The contract notice was published."),
    ),
    "acceptance": (
        AcceptanceForm,
        lambda d, user, tender, pk: contracts.contract_acceptance_record(contract_id=pk, by=user, **d),
        gettext_lazy("The acceptance was recorded."),
    ),
    "release": (
        None,
        lambda d, user, tender, pk: securities.bid_security_release(release_id=pk, by=user),
        gettext_lazy("The bid security's return was recorded."),
    ),
}


@login_required
@require_POST
def after_action(request: AuthenticatedHttpRequest, reference: str, action: str, pk: int = 0) -> HttpResponse:
    tender = after.tender_after_award(user=request.user, reference=reference)
    if action not in ACTIONS:
        raise Http404()
    form_class, call, success = ACTIONS[action]
    data: dict[str, Any] = {}
    if form_class is not None:
        kwargs = {"lots": list(tender.lots.all())} if form_class is ChallengeForm else {}
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            context = _context(request, tender, form_errors=form)
            return render(request, "awards/after.html", context, status=400)
        data = form.cleaned_data
    try:
        call(data, request.user, tender, pk)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("awards:after", reference=tender.reference)
    messages.success(request, str(success))
    return redirect("awards:after", reference=tender.reference)


def complaint_decisions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The public list of the finance department's complaint decisions, each with its ledger entry."""
    return render(
        request, "awards/complaint_decisions.html", {"complaints": after.complaint_decisions_public()}
    )
