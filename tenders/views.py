"""The officers' pages: their tenders, the editor with live rule checks, submission, the
question inbox, amendments, cancellation, the failure notice and the re-run."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from config import clock
from config.exceptions import DomainError
from config.params import int_param
from tenders import services
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.exceptions import NoticeDraftNotFound, NotTenderOfficer, TenderRulesViolated
from tenders.forms import (
    AmendmentForm,
    AnswerForm,
    CancelForm,
    CriterionFormSet,
    CustodianFormSet,
    DocumentForm,
    LotFormSet,
    NoticeDraftForm,
    TenderForm,
)
from tenders.models import Tender
from tenders.permissions import officer_organisation_ids
from tenders.selectors import (
    notice_draft_for_officer,
    questions_inbox,
    tender_for_officer,
    tender_publication_waits,
    tenders_of_officer,
)


def _approval_of(tender: Tender):
    from approvals.models import ApprovalInstance

    return (
        ApprovalInstance.objects.filter(
            subject_type=ContentType.objects.get_for_model(Tender), subject_id=str(tender.pk)
        )
        .order_by("-id")
        .first()
    )


@login_required
def tender_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "tenders/officer/list.html", {"tenders": tenders_of_officer(user=request.user)[:200]}
    )


@login_required
def tender_new(request: HttpRequest) -> HttpResponse:
    orgs = officer_organisation_ids(request.user)
    if not orgs:  # refused before any form is shown, not only on save (suppliers, the public)
        raise NotTenderOfficer()
    form = TenderForm(
        request.POST or None,
        officer_orgs=orgs,
        initial={"opening_place": gettext("Online, on this platform")},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("buyer", "method", "title", "budget")}
        tender = services.tender_create(
            by=request.user,
            buyer=form.cleaned_data["buyer"],
            method=form.cleaned_data["method"],
            title=form.cleaned_data["title"],
            budget=form.cleaned_data["budget"],
            **data,
        )
        messages.success(request, gettext("Draft saved. Add lots, criteria, custodians and documents."))
        return redirect("tenders:edit", tender.pk)
    return render(request, "tenders/officer/new.html", {"form": form})


def _initial_formsets(tender: Tender):
    return (
        LotFormSet(
            prefix="lots", initial=[{"title": lot.title, "budget": lot.budget} for lot in tender.lots.all()]
        ),
        CriterionFormSet(
            prefix="criteria",
            initial=[
                {"name": c.name, "weight": c.weight, "is_price": c.is_price} for c in tender.criteria.all()
            ],
        ),
        CustodianFormSet(prefix="custodians", initial=[{"user": c.user_id} for c in tender.custodians.all()]),
    )


def _kept(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@login_required
def tender_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    if tender.status != TenderStatus.DRAFT:
        return render(
            request,
            "tenders/officer/status.html",
            {
                "tender": tender,
                "approval": _approval_of(tender),
                "announcements": tender.announcements.order_by("sequence"),
                "open_questions": tender.questions.filter(answered_at__isnull=True).count(),
                "failure_draft": notice_draft_for_officer(
                    user=request.user, tender=tender, kind=AnnouncementKind.FAILURE
                ),
                "reruns": tender.reruns.order_by("id"),
                "waits": tender_publication_waits(tender=tender)
                if tender.status == TenderStatus.IN_APPROVAL
                else [],
                "now": clock.now(),
            },
        )
    orgs = officer_organisation_ids(request.user)
    if request.method == "POST":
        form = TenderForm(request.POST, instance=tender, officer_orgs=orgs)
        lots = LotFormSet(request.POST, prefix="lots")
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        custodians = CustodianFormSet(request.POST, prefix="custodians")
        if all(x.is_valid() for x in (form, lots, criteria, custodians)):
            fields = {k: v for k, v in form.cleaned_data.items() if k != "buyer"}
            services.tender_update(tender_id=tender.pk, by=request.user, **fields)
            services.tender_lots_set(tender_id=tender.pk, by=request.user, lots=_kept(lots))
            services.tender_criteria_set(tender_id=tender.pk, by=request.user, criteria=_kept(criteria))
            services.tender_custodians_set(
                tender_id=tender.pk, by=request.user, users=[row["user"] for row in _kept(custodians)]
            )
            messages.success(request, gettext("Draft saved."))
            return redirect("tenders:edit", tender.pk)
    else:
        form = TenderForm(instance=tender, officer_orgs=orgs)
        lots, criteria, custodians = _initial_formsets(tender)
    problems = services.tender_problems(tender=tender)
    waits = tender_publication_waits(tender=tender)
    by_field: dict[str, list] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    return render(
        request,
        "tenders/officer/edit.html",
        {
            "tender": tender,
            "form": form,
            "lots": lots,
            "criteria": criteria,
            "custodians": custodians,
            "document_form": DocumentForm(prefix="document"),
            "documents": tender.documents.prefetch_related("versions"),
            "problems": problems,
            "problems_by_field": by_field,
            "waits": waits,
            "to_do": len(problems) + len(waits),
        },
    )


@login_required
@require_POST
def tender_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        services.tender_document_add(
            tender_id=tender.pk,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, gettext("Document attached."))
    else:
        messages.error(request, gettext("Choose a file and give it a title."))
    return redirect("tenders:edit", tender.pk)


@login_required
@require_POST
def tender_submit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    try:
        services.tender_submit(tender_id=tender.pk, by=request.user)
    except TenderRulesViolated as refused:
        for violation in refused.violations:
            messages.error(request, violation.message)
        return redirect("tenders:edit", tender.pk)
    messages.success(request, gettext("Submitted for approval. It is published when approved."))
    return redirect("tenders:edit", tender.pk)


@login_required
def tender_questions(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            announcement = services.question_answer(
                question_id=int_param(request.POST.get("question"), default=0, name="question"),
                by=request.user,
                answer=form.cleaned_data["answer"],
            )
            if announcement.deadline_moved:
                messages.success(
                    request,
                    gettext("Answer published as a clarification; the bid deadline moved to %(d)s.")
                    % {"d": announcement.new_deadline.astimezone().strftime("%Y-%m-%d %H:%M")},
                )
            else:
                messages.success(request, gettext("Answer published as a clarification."))
            return redirect("tenders:questions", tender.pk)
    return render(
        request,
        "tenders/officer/questions.html",
        {
            "tender": tender,
            "questions": questions_inbox(user=request.user, tender=tender),
            "form": AnswerForm(),
        },
    )


@login_required
def tender_amend(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    rules = tender.rule_set or tender.method.rule_set()
    form = AmendmentForm(
        request.POST or None,
        request.FILES or None,
        clarification_min_days=rules.get("clarification_min_days"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        documents = (
            [(data["document_title"] or data["document"].name, data["document"])] if data["document"] else []
        )
        announcement = services.tender_amend(
            tender_id=tender.pk,
            by=request.user,
            summary=data["summary"],
            bid_deadline=data["bid_deadline"],
            documents=documents,
        )
        messages.success(request, gettext("Amendment published."))
        if announcement.deadline_moved:
            messages.info(request, gettext("The bid deadline moved out to restore the clarification period."))
        return redirect("tenders:edit", tender.pk)
    return render(
        request,
        "tenders/officer/form.html",
        {
            "tender": tender,
            "form": form,
            "heading": gettext("Publish an amendment"),
            "button": gettext("Publish the amendment"),
            "multipart": True,
        },
    )


@login_required
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.tender_cancel(tender_id=tender.pk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("The tender is cancelled and the cancellation notice published."))
        return redirect("tenders:edit", tender.pk)
    return render(
        request,
        "tenders/officer/form.html",
        {
            "tender": tender,
            "form": form,
            "heading": gettext("Cancel the tender"),
            "button": gettext("Cancel the tender"),
            "warning": True,
        },
    )


@login_required
def failure_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Review, edit and publish the failure notice the platform drafted when the tender failed."""
    tender = tender_for_officer(user=request.user, pk=pk)
    draft = notice_draft_for_officer(user=request.user, tender=tender, kind=AnnouncementKind.FAILURE)
    if draft is None:
        raise NoticeDraftNotFound()
    form = NoticeDraftForm(request.POST or None, initial={"title": draft.title, "body": draft.body})
    if request.method == "POST" and form.is_valid():
        try:
            if "publish" in request.POST:
                services.failure_notice_publish(draft_id=draft.pk, by=request.user, **form.cleaned_data)
                messages.success(request, gettext("The failure notice is published."))
                return redirect("tenders:edit", tender.pk)
            services.notice_draft_update(draft_id=draft.pk, by=request.user, **form.cleaned_data)
        except DomainError as refused:
            messages.error(request, refused.message)
            return redirect("tenders:failure-notice", tender.pk)
        messages.success(request, gettext("Draft saved."))
        return redirect("tenders:failure-notice", tender.pk)
    return render(
        request, "tenders/officer/failure_notice.html", {"tender": tender, "draft": draft, "form": form}
    )


@login_required
@require_POST
def tender_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    tender = tender_for_officer(user=request.user, pk=pk)
    try:
        rerun = services.tender_rerun(tender_id=tender.pk, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("tenders:edit", tender.pk)
    messages.success(
        request,
        gettext("The re-run is drafted as %(reference)s. Set its dates, check it and submit it for approval.")
        % {"reference": rerun.reference},
    )
    return redirect("tenders:edit", rerun.pk)
