"""Evaluation pages: the overview (invitations, tenders, progress), the pool (supervisor), one's
declarations (expert), a tender's committee and draws, the public replay of a draw, and the
workspace with its bids, findings, scores, flags and results. Views parse, call, render."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import client_address
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation, User
from bidding.selectors.opened import bid_openings
from config.exceptions import DomainError, NotFound
from evaluation import draw as draw_rules
from evaluation import services
from evaluation.constants import RelationshipKind
from evaluation.models import Draw, EvaluationReport, Flag
from evaluation.results import (
    compliance_majority,
    evaluation_results,
    reviews_complete,
    scores_complete,
    scores_for,
)
from evaluation.selectors import (
    committee_of,
    draws_of,
    expert_profile_of,
    invitations_of,
    is_supervisor,
    pool_list,
    progress,
    relationships_of,
    settings_for,
    tender_by_reference,
    tenders_in_evaluation,
    workspace_access,
)
from evaluation.services.draws import draw_published_inputs
from evaluation.services.flags import flags_refresh
from suppliers.models import Supplier
from tenders.permissions import is_tender_officer


def _back(request: AuthenticatedHttpRequest, fallback: str) -> HttpResponse:
    return redirect(request.POST.get("next") or fallback)


def _attempt(request: AuthenticatedHttpRequest, action, success: str) -> None:
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    supervisor = is_supervisor(request.user)
    tenders = (
        list(tenders_in_evaluation())
        if supervisor or request.user.memberships.filter(role="procurement_officer").exists()
        else []
    )
    return render(
        request,
        "evaluation/overview.html",
        {
            "invitations": invitations_of(user=request.user),
            "profile": expert_profile_of(request.user),
            "supervisor": supervisor,
            "tenders": [(t, progress(t)) for t in tenders],
        },
    )


@login_required
@require_POST
def respond(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    accept = request.POST.get("answer") == "accept"
    _attempt(
        request,
        lambda: services.member_respond(
            member_id=member_id, user=request.user, accept=accept, reason=request.POST.get("reason", "")
        ),
        _("Your answer was recorded."),
    )
    return redirect("evaluation:overview")


@login_required
def pool(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_supervisor(request.user):
        raise NotFound()
    if request.method == "POST":
        user = User.objects.filter(username=request.POST.get("username", "").strip()).first()
        employer = Organisation.objects.filter(pk=request.POST.get("employer") or 0).first()
        if user is None:
            messages.error(request, _("There is no user with this username."))
        else:
            _attempt(
                request,
                lambda: services.expert_profile_save(
                    by=request.user,
                    user=user,
                    specialities=request.POST.get("specialities", "").replace("，", ",").split(","),
                    region=request.POST.get("region", ""),
                    employer=employer,
                    employer_name=request.POST.get("employer_name", ""),
                    available=request.POST.get("available") == "on",
                ),
                _("The expert's profile was saved."),
            )
        return redirect("evaluation:pool")
    return render(
        request,
        "evaluation/pool.html",
        {"experts": pool_list(), "organisations": Organisation.objects.order_by("name")},
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def declarations(request: AuthenticatedHttpRequest) -> HttpResponse:
    if expert_profile_of(request.user) is None:
        raise NotFound()
    if request.method == "POST":
        started, ended = _date(request.POST.get("started_on", "")), _date(request.POST.get("ended_on", ""))
        if request.POST.get("relationship"):
            if ended is None:
                messages.error(request, _("Give the end date as YYYY-MM-DD."))
            else:
                _attempt(
                    request,
                    lambda: services.relationship_end(
                        user=request.user, relationship_id=int(request.POST["relationship"]), ended_on=ended
                    ),
                    _("The end of the relationship was recorded."),
                )
        elif started is None:
            messages.error(request, _("Give the start date as YYYY-MM-DD."))
        else:
            _attempt(
                request,
                lambda: services.relationship_declare(
                    user=request.user,
                    kind=request.POST.get("kind", ""),
                    supplier_id=int(request.POST.get("supplier") or 0),
                    started_on=started,
                    ended_on=ended,
                    detail=request.POST.get("detail", ""),
                ),
                _("Your declaration was recorded."),
            )
        return redirect("evaluation:declarations")
    return render(
        request,
        "evaluation/declarations.html",
        {
            "relationships": relationships_of(user=request.user),
            "kinds": RelationshipKind.choices,
            "suppliers": Supplier.objects.select_related("organisation").order_by("organisation__name"),
        },
    )


@login_required
def tender_committee(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = tender_by_reference(reference)
    supervisor = is_supervisor(request.user)
    member = committee_of(tender).filter(user=request.user).first()
    # The tender's own officers (its buyer's or agency's), not every procurement officer anywhere.
    if not (supervisor or member or is_tender_officer(user=request.user, tender=tender)):
        raise NotFound()
    return render(
        request,
        "evaluation/committee.html",
        {
            "tender": tender,
            "supervisor": supervisor,
            "member": member,
            "draws": draws_of(tender),
            # Names stay secret until the result is published: only the supervisor sees who was drawn.
            "members": tender.committee.select_related("user", "expert") if supervisor else [],
            "progress": progress(tender),
        },
    )


@login_required
@require_POST
def committee_draw(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = tender_by_reference(reference)
    _attempt(
        request,
        lambda: services.committee_draw(tender_id=tender.pk, by=request.user),
        _("The committee was drawn; the experts are told by mail."),
    )
    return redirect("evaluation:committee", reference=reference)


def draw_replay(request: AuthenticatedHttpRequest, reference: str, sequence: int) -> HttpResponse:
    """Public: the draw's published inputs and the selection recomputed from them alone."""
    tender = tender_by_reference(reference)
    draw = Draw.objects.filter(tender=tender, sequence=sequence, reveal_ledger_index__isnull=False).first()
    if draw is None:
        raise NotFound()
    inputs = draw_published_inputs(draw)
    try:
        replayed, problem = draw_rules.draw_replay(commit=inputs["commit"], reveal=inputs["reveal"]), ""
    except draw_rules.ReplayMismatch as error:
        replayed, problem = [], str(error)
    seed = bytes.fromhex(inputs["reveal"]["seed"])
    order = [
        (c, draw_rules.ticket(seed, c))
        for c in draw_rules.draw_order(seed=seed, candidates=inputs["commit"]["candidates"])
    ]
    return render(
        request,
        "evaluation/replay.html",
        {
            "tender": tender,
            "draw": draw,
            "inputs": inputs,
            "replayed": replayed,
            "problem": problem,
            "order": order,
        },
    )


@login_required
def workspace(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    tender = tender_by_reference(reference)
    access = workspace_access(tender=tender, user=request.user)
    member = access.member
    openings = bid_openings(tender_id=tender.pk)
    findings = {f.opening_id: f for f in member.findings.all()} if member else {}
    complete = reviews_complete(tender)
    passed = compliance_majority(tender) if complete else {}
    try:
        scores = scores_for(access)
    except DomainError:
        scores = None
    all_scored = scores_complete(tender)
    return render(
        request,
        "evaluation/workspace.html",
        {
            "tender": tender,
            "access": access,
            "member": member,
            "openings": openings,
            "rows": [(o, findings.get(o.pk), passed.get(o.pk, False)) for o in openings],
            "reviews_complete": complete,
            "criteria": tender.criteria.filter(is_price=False).order_by("position"),
            "scores": scores,
            "all_scored": all_scored,
            "results": evaluation_results(tender) if all_scored else None,
            "report": EvaluationReport.objects.filter(tender=tender).select_related("document").first(),
            "flags": Flag.objects.filter(tender=tender),
            "progress": progress(tender),
        },
    )


@login_required
def bid_form(request: AuthenticatedHttpRequest, reference: str, opening_id: int) -> HttpResponse:
    tender = tender_by_reference(reference)
    form = services.bid_form_read(
        tender_id=tender.pk, user=request.user, opening_id=opening_id, address=client_address(request)
    )
    return render(request, "evaluation/bid.html", {"tender": tender, "form": form, "opening_id": opening_id})


@login_required
def bid_attachment(
    request: AuthenticatedHttpRequest, reference: str, opening_id: int, index: int
) -> HttpResponse:
    tender = tender_by_reference(reference)
    name, media_type, data = services.bid_attachment_read(
        tender_id=tender.pk,
        user=request.user,
        opening_id=opening_id,
        index=index,
        address=client_address(request),
    )
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def workspace_action(request: AuthenticatedHttpRequest, reference: str, action: str) -> HttpResponse:
    tender = tender_by_reference(reference)
    post, user = request.POST, request.user
    actions = {
        "finding": (
            lambda: services.finding_record(
                tender_id=tender.pk,
                user=user,
                opening_id=int(post.get("opening") or 0),
                compliant=post.get("compliant") == "yes",
                reason=post.get("reason", ""),
            ),
            _("Your finding was recorded."),
        ),
        "reviews-submit": (
            lambda: services.reviews_submit(tender_id=tender.pk, user=user),
            _("Your findings were submitted."),
        ),
        "dissent": (
            lambda: services.dissent_record(
                tender_id=tender.pk,
                user=user,
                text=post.get("text", ""),
                opening_id=int(post["opening"]) if post.get("opening") else None,
            ),
            _("Your dissent was recorded."),
        ),
        "score": (
            lambda: services.score_record(
                tender_id=tender.pk,
                user=user,
                opening_id=int(post.get("opening") or 0),
                criterion_id=int(post.get("criterion") or 0),
                points=post.get("points", ""),
            ),
            _("Your score was recorded."),
        ),
        "scores-submit": (
            lambda: services.scores_submit(tender_id=tender.pk, user=user),
            _("Your scores were submitted."),
        ),
        "flags": (lambda: flags_refresh(tender_id=tender.pk, user=user), _("The flags were recomputed.")),
        "report": (
            lambda: services.evaluation_report_issue(tender_id=tender.pk, user=user),
            _("The signed evaluation report was issued."),
        ),
    }
    if action not in actions:
        raise NotFound()
    call, success = actions[action]
    _attempt(request, call, success)
    return redirect("evaluation:workspace", reference=reference)


@login_required
def tender_settings(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The tender's evaluation settings, for its officers while it is a draft."""
    tender = tender_by_reference(reference)
    if not is_tender_officer(user=request.user, tender=tender):
        raise NotFound()
    if request.method == "POST":
        post = request.POST
        _attempt(
            request,
            lambda: services.evaluation_settings_save(
                tender_id=tender.pk,
                by=request.user,
                sme_deduction=post.get("sme_deduction") or "0",
                reserved_for_sme=post.get("reserved_for_sme") == "on",
                complex_project=post.get("complex_project") == "on",
                buyer_representatives=int(post.get("buyer_representatives") or 0)
                if (post.get("buyer_representatives") or "0").isdigit()
                else -1,
                low_price_margin=post.get("low_price_margin") or "20",
                justification_hours=int(post.get("justification_hours") or 24)
                if (post.get("justification_hours") or "24").isdigit()
                else 0,
            ),
            _("The evaluation settings were saved."),
        )
        return redirect("evaluation:settings", reference=reference)
    return render(
        request,
        "evaluation/settings.html",
        {"tender": tender, "settings": settings_for(tender), "editable": tender.status == "draft"},
    )
