"""Approval pages: the inbox, an approval with its timeline, history and the viewer's actions,
the timeline fragment and history rows the live page fetches, delegations. Views parse, call a
service, render."""

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from approvals import services
from approvals.forms import CommentForm, DecisionForm, DelegationForm, RerouteForm, ReturnForm, WithdrawForm
from approvals.models import ApprovalInstance
from approvals.registry import approval_subjects
from approvals.selectors import (
    approval_get,
    delegations_of,
    history_entries,
    inbox,
    inbox_counts,
    submitted_by,
    timeline,
    viewer_actions,
)
from config import clock
from config.exceptions import DomainError
from config.params import int_param


@login_required
def inbox_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = list(inbox(user=request.user))
    return render(
        request,
        "approvals/inbox.html",
        {
            "tasks": tasks,
            "counts": inbox_counts(user=request.user),
            "submitted": submitted_by(user=request.user)[:20],
        },
    )


def _subject_card(instance: ApprovalInstance) -> dict[str, str]:
    subject, model = instance.subject, instance.subject_type.model_class()
    if subject is None or model is None or not approval_subjects.is_registered(model):
        # The subject is gone, or its app no longer registers it: show what was submitted.
        return {"title": instance.subject_title, "url": "", "summary": ""}
    adapter = approval_subjects.adapter_for_type(instance.subject_type)
    return {"title": adapter.title(subject), "url": adapter.url(subject), "summary": adapter.summary(subject)}


def _detail_context(
    request: AuthenticatedHttpRequest, instance: ApprovalInstance, forms: dict[Any, Form] | None = None
) -> dict[str, Any]:
    actions = viewer_actions(instance=instance, user=request.user)
    forms = forms or {}
    decisions = [
        (
            decidable,
            forms.get(("decide", decidable.step.pk)) or DecisionForm(initial={"step_id": decidable.step.pk}),
        )
        for decidable in actions.decidable
    ]
    return_form = None
    if actions.decidable and actions.return_targets:
        return_form = forms.get("return") or ReturnForm(
            initial={"step_id": actions.decidable[0].step.pk}, targets=actions.return_targets
        )
    return {
        "instance": instance,
        "subject": _subject_card(instance),
        "timeline": timeline(instance=instance),
        "actions": actions,
        "decisions": decisions,
        "return_form": return_form,
        "comment_form": forms.get("comment") or CommentForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "reroute_form": forms.get("reroute") or RerouteForm(steps=instance.steps.all()),
        "history": history_entries(instance=instance),
    }


@login_required
def detail_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    instance = approval_get(instance_id=pk, user=request.user)
    return render(request, "approvals/detail.html", _detail_context(request, instance))


@login_required
def timeline_fragment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The timeline region alone, which the live page swaps in when told of an event."""
    instance = approval_get(instance_id=pk, user=request.user)
    return render(
        request, "approvals/_timeline.html", {"instance": instance, "timeline": timeline(instance=instance)}
    )


@login_required
def history_after(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The history rows after `?after=<seq>`, for a live page that reconnected or saw a gap: the
    same entries the socket pushes, so the page appends both the same way."""
    after = request.GET.get("after") or "0"
    if not after.isdecimal():
        return HttpResponseBadRequest()
    instance = approval_get(instance_id=pk, user=request.user)
    entries = history_entries(instance=instance, after_seq=int(after))
    return JsonResponse({"entries": [asdict(entry) for entry in entries]})


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One of the viewer's actions: approve, reject, return, comment or withdraw."""
    instance = approval_get(instance_id=pk, user=request.user)
    action = request.POST.get("action", "")
    targets = viewer_actions(instance=instance, user=request.user).return_targets
    form = {
        "approve": DecisionForm,
        "reject": DecisionForm,
        "return": ReturnForm,
        "comment": CommentForm,
        "withdraw": WithdrawForm,
    }.get(action)
    if form is None:
        raise DomainError(_("Unknown action."))
    bound = form(request.POST, targets=targets) if form is ReturnForm else form(request.POST)
    key = (
        ("decide", int_param(request.POST.get("step_id"), default=0, name="step_id"))
        if form is DecisionForm
        else action
    )
    if bound.is_valid():
        data = bound.cleaned_data
        try:
            if action == "approve":
                services.approval_approve(
                    instance_id=pk, user=request.user, comment=data["comment"], step_id=data["step_id"]
                )
                messages.success(request, _("You approved it."))
            elif action == "reject":
                services.approval_reject(
                    instance_id=pk, user=request.user, reason=data["comment"], step_id=data["step_id"]
                )
                messages.success(request, _("You rejected it; it is back with the submitter."))
            elif action == "return":
                services.approval_return(
                    instance_id=pk,
                    user=request.user,
                    to_step_id=data["to_step"],
                    reason=data["reason"],
                    step_id=data["step_id"],
                )
                messages.success(request, _("You returned it for changes."))
            elif action == "comment":
                services.approval_comment(instance_id=pk, user=request.user, comment=data["comment"])
                messages.success(request, _("Your comment was added."))
            else:
                services.approval_withdraw(instance_id=pk, user=request.user, reason=data["reason"])
                messages.success(request, _("You withdrew it."))
        except DomainError as exc:
            bound.add_error(None, str(exc))
        else:
            return redirect("approvals:detail", pk=pk)
    instance.refresh_from_db()
    return render(
        request, "approvals/detail.html", _detail_context(request, instance, {key: bound}), status=400
    )


@login_required
@require_POST
def reroute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator's change to a running approval."""
    instance = approval_get(instance_id=pk, user=request.user)
    bound = RerouteForm(request.POST, steps=instance.steps.all())
    if bound.is_valid():
        data = bound.cleaned_data
        try:
            if data["operation"] == "skip":
                services.approval_step_skip(
                    instance_id=pk, step_id=data["step"], by=request.user, reason=data["reason"]
                )
            elif data["operation"] == "move":
                if not data["to_position"]:
                    raise DomainError(_("Give the new position."))
                services.approval_step_move(
                    instance_id=pk,
                    step_id=data["step"],
                    to_position=data["to_position"],
                    by=request.user,
                    reason=data["reason"],
                )
            else:
                people = {
                    u.username: u
                    for u in User.objects.filter(
                        username__in=[data["from_username"], data["to_username"]], is_active=True
                    )
                }
                if data["from_username"] not in people or data["to_username"] not in people:
                    raise DomainError(_("Give the usernames of both people."))
                services.approval_reassign(
                    instance_id=pk,
                    step_id=data["step"],
                    from_user=people[data["from_username"]],
                    to_user=people[data["to_username"]],
                    by=request.user,
                    reason=data["reason"],
                )
        except DomainError as exc:
            bound.add_error(None, str(exc))
        else:
            messages.success(request, _("The approval was changed."))
            return redirect("approvals:detail", pk=pk)
    return render(
        request, "approvals/detail.html", _detail_context(request, instance, {"reroute": bound}), status=400
    )


@login_required
def delegations_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None, delegator=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegation_create(
                delegator=request.user,
                delegate=data["delegate"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your delegation was saved."))
            return redirect("approvals:delegations")
    return render(
        request,
        "approvals/delegations.html",
        {
            "form": form,
            "delegations": delegations_of(user=request.user),
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def delegation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.delegation_revoke(delegation_id=pk, user=request.user)
    messages.success(request, _("The delegation was withdrawn."))
    return redirect("approvals:delegations")
