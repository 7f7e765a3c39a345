"""Award pages: the officers' page (deadlines, recommended order, publicity and objections, the
decision, the result), each bidder's own result, and the public results list. Views parse, call, render."""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from awards import selectors, services
from awards.constants import AwardStatus
from awards.forms import AnnounceForm, AnswerForm, DecisionForm, TextForm
from awards.models import CandidateObjection, ResultAnnouncement
from config import clock
from config.exceptions import DomainError, NotAllowed
from config.params import BadParameter, int_param
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.forms_public import NoticeSearchForm
from tenders.selectors import NoticeFilters, notice_list

PAGE_SIZE = 20
MAX_PAGE = 100_000


def _attempt(request: AuthenticatedHttpRequest, action, success: str) -> bool:
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The tenders whose award concerns the user: as officer, supervisor or bidder."""
    managed, bidding = selectors.award_tenders_of(user=request.user)
    return render(
        request,
        "awards/overview.html",
        {
            "managed": [(t, selectors.deadline_rows(t)) for t in managed],
            "bidding": [(t, selectors.deadline_rows(t, ("objections",))) for t in bidding],
        },
    )


@login_required
def manage(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_by_reference(reference)
    if not selectors.may_follow(user=request.user, tender=tender):
        if selectors.bidder_suppliers(user=request.user, tender=tender):
            return redirect("awards:mine", reference)
        raise NotAllowed(_("Only the tender's officers and the supervisors follow its award."))
    can_act = selectors.may_manage(user=request.user, tender=tender)
    candidates = (
        selectors.candidates_data(tender)
        if tender.status in (TenderStatus.AWAITING_AWARD, TenderStatus.AWARDED)
        else []
    )
    current = selectors.decision_current(tender)
    return render(
        request,
        "awards/manage.html",
        {
            "tender": tender,
            "can_act": can_act,
            "deadlines": selectors.deadline_rows(tender),
            "candidates": candidates,
            "publicity": selectors.publicity_of(tender),
            "is_tendering": selectors.is_tendering(tender),
            "current": current,
            "decisions": selectors.decisions_of(tender),
            "result": selectors.result_of(tender),
            "decision_form": DecisionForm(candidates=candidates),
            "announce_form": AnnounceForm(),
            "answer_form": AnswerForm(),
            "awaiting": tender.status == TenderStatus.AWAITING_AWARD,
            "decided": current is not None and current.status == AwardStatus.DECIDED,
        },
    )


@login_required
@require_POST
def publicity_publish(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_by_reference(reference)
    _attempt(
        request,
        lambda: services.candidate_publicity_publish(tender_id=tender.pk, by=request.user),
        _("The winning candidates are published."),
    )
    return redirect("awards:manage", reference)


@login_required
@require_POST
def decision_propose(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_by_reference(reference)
    form = DecisionForm(request.POST, candidates=selectors.candidates_data(tender))
    if not form.is_valid():
        messages.error(request, _("Choose a candidate from the committee's recommended order."))
        return redirect("awards:manage", reference)
    _attempt(
        request,
        lambda: services.award_decision_propose(
            tender_id=tender.pk,
            by=request.user,
            opening_id=form.cleaned_data["opening"],
            reason=form.cleaned_data["reason"],
            reason_detail=form.cleaned_data["reason_detail"],
        ),
        _("The decision went to its approval."),
    )
    return redirect("awards:manage", reference)


@login_required
@require_POST
def result_announce(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_by_reference(reference)
    current = selectors.decision_current(tender)
    form = AnnounceForm(request.POST)
    if current is None or not form.is_valid():
        messages.error(request, _("Name at least one main item with a valid unit price, and the agency fee."))
        return redirect("awards:manage", reference)
    _attempt(
        request,
        lambda: services.result_announce(
            decision_id=current.pk,
            by=request.user,
            main_items=form.items(),
            agency_fee=form.cleaned_data["agency_fee"],
        ),
        _("The result is announced and every bidder has its notice."),
    )
    return redirect("awards:manage", reference)


@login_required
@require_POST
def objection_answer(request: AuthenticatedHttpRequest, reference: str, objection_id: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
    else:
        _attempt(
            request,
            lambda: services.candidate_objection_answer(
                objection_id=objection_id, by=request.user, answer=form.cleaned_data["answer"]
            ),
            _("The objection is answered."),
        )
    return redirect("awards:manage", reference)


@login_required
def mine(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """A bidder's own page: the objection window, its own notice (rank, scores, reason), nothing of the others."""
    tender = selectors.tender_by_reference(reference)
    suppliers = selectors.bidder_suppliers(user=request.user, tender=tender)
    if not suppliers:
        raise NotAllowed(_("Only the bidders of this tender see their result here."))
    publicity = selectors.publicity_of(tender)
    return render(
        request,
        "awards/mine.html",
        {
            "tender": tender,
            "suppliers": suppliers,
            "deadlines": selectors.deadline_rows(tender, ("objections",)),
            "publicity": publicity,
            "can_object": publicity is not None and clock.today_local() <= publicity.ends_on,
            "my_objections": CandidateObjection.objects.filter(publicity=publicity, supplier__in=suppliers)
            if publicity
            else [],
            "notices": selectors.own_notices(user=request.user, tender=tender),
            "form": TextForm(),
        },
    )


@login_required
@require_POST
def objection_raise(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_by_reference(reference)
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the objection and its reasons."))
    else:
        _attempt(
            request,
            lambda: services.candidate_objection_raise(
                tender_id=tender.pk, by=request.user, text=form.cleaned_data["text"]
            ),
            _("Your objection is recorded; the buyer answers it before choosing the winner."),
        )
    return redirect("awards:mine", reference)


def results(request: HttpRequest) -> HttpResponse:
    """The public results list: the notices' search and filters, narrowed to result announcements."""
    form = NoticeSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else NoticeFilters()
    filters = dataclasses.replace(filters, kind=AnnouncementKind.RESULT)
    try:
        page = int_param(request.GET.get("page"), default=1, name="page", minimum=1, maximum=MAX_PAGE)
    except BadParameter:
        raise Http404() from None
    tenders = list(notice_list(filters=filters)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    announced = {
        r.announcement.tender_id: r
        for r in ResultAnnouncement.objects.filter(
            announcement__tender__in=tenders[:PAGE_SIZE], decision__status=AwardStatus.ANNOUNCED
        ).select_related("announcement", "decision__supplier__organisation")
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/results.html",
        {
            "form": form,
            "rows": [(t, announced.get(t.pk)) for t in tenders[:PAGE_SIZE]],
            "page": page,
            "has_next": len(tenders) > PAGE_SIZE,
            "has_previous": page > 1,
            "query": query.urlencode(),
        },
    )
