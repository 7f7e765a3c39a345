"""Every write of the approval engine: submitting a subject, deciding, returning, withdrawing,
commenting, delegating, an administrator's reassigning and rerouting, the deadline sweep, and
publishing definitions.

Each service runs in one transaction, locks the instance row first (so two approvers deciding
the same countersign step at the same moment are counted one after the other, each once), and
records an `ApprovalEvent` plus a ledger entry in that same transaction. The page watching the
approval is told after commit."""

from datetime import date, datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from approvals import conditions
from approvals.constants import (
    INSTANCE_TRANSITIONS,
    REMINDER_WORKING_DAYS_BEFORE,
    STEP_TRANSITIONS,
    AssignmentStatus,
    EventKind,
    HandlerKind,
    InstanceStatus,
    Outcome,
    StepMode,
    StepStatus,
)
from approvals.exceptions import (
    ApprovalNotFound,
    NoHandler,
    NoSuchDelegate,
    NotEntitled,
    UnknownFlow,
    WrongState,
)
from approvals.models import (
    ApprovalEvent,
    ApprovalInstance,
    ApprovalStep,
    Assignment,
    Delegation,
    FlowDefinition,
    StepDefinition,
    StepFields,
)
from approvals.registry import approval_subjects
from approvals.selectors import (
    can_view,
    delegate_by_username,
    delegators_of,
    flow_definition_current,
    is_approvals_admin,
    role_holders,
    supervisors_for,
)
from config import clock
from config.exceptions import DomainError, NotAllowed
from ledger.commitments import ledger_commit
from ledger.services import ledger_append
from workdays.calendar import add_working_days
from workdays.exceptions import CalendarYearUnknown

# ---------------------------------------------------------------------------------------------
# History, ledger and live announcements


def _person_commit(user: User | None, *, role: str, context: list[Any]) -> str | None:
    """Who acted, as the public ledger may say it: a keyed commitment to the user's id, bound to
    this entry (`context`), so the public can neither name the person nor link their entries;
    an auditor with the key recomputes it from the history row. None when nobody acted."""
    if user is None:
        return None
    return ledger_commit(purpose=f"approvals/{role}", value=[*context, user.pk])


def _record(
    instance: ApprovalInstance,
    kind: EventKind,
    *,
    step: ApprovalStep | None = None,
    actor: User | None = None,
    on_behalf_of: User | None = None,
    comment: str = "",
    state_hash: str | None = None,
) -> ApprovalEvent:
    """One history event and its ledger entry; the caller holds the instance lock."""
    now = clock.now()
    instance.last_event_seq += 1
    instance.save(update_fields=["last_event_seq"])
    state_hash = state_hash or _current_state_hash(instance)
    # The ledger is public forever: who acted, the comment and the subject's state are keyed
    # commitments (ledger.commitments), never names or plain hashes a dictionary could reverse;
    # the text and the people stay in the history (docs/ledger.md "What the ledger may hold").
    context = [instance.pk, instance.last_event_seq]
    entry = ledger_append(
        kind=f"approvals/{kind}",
        payload={
            "approval": instance.pk,
            "seq": instance.last_event_seq,
            "flow": instance.definition.code,
            "flow_version": instance.definition.version,
            "subject": f"{instance.subject_type.app_label}.{instance.subject_type.model}:{instance.subject_id}",
            "step": step.key if step else None,
            "actor_commit": _person_commit(actor, role="actor", context=context),
            "on_behalf_of_commit": _person_commit(on_behalf_of, role="on-behalf-of", context=context),
            "comment_commit": ledger_commit(purpose="approvals/comment", value=[*context, comment])
            if comment
            else None,
            "subject_state_commit": ledger_commit(purpose="approvals/subject-state", value=state_hash),
            "at": now.isoformat(),
        },
    )
    event = ApprovalEvent.objects.create(
        instance=instance,
        seq=instance.last_event_seq,
        kind=kind,
        step=step,
        actor=actor,
        on_behalf_of=on_behalf_of,
        comment=comment,
        subject_state_hash=state_hash,
        at=now,
        ledger_index=entry.index,
    )
    instance_id, seq = instance.pk, instance.last_event_seq
    transaction.on_commit(lambda: _announce(instance_id=instance_id, seq=seq, kind=str(kind)))
    return event


def _announce(*, instance_id: int, seq: int, kind: str) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            f"approval.{instance_id}", {"type": "approval.event", "seq": seq, "kind": kind}
        )


def _current_state_hash(instance: ApprovalInstance) -> str:
    subject = instance.subject
    if subject is None:  # the subject row is gone; keep the last known state
        return instance.subject_state_hash
    return approval_subjects.adapter_for_type(instance.subject_type).state_hash(subject)


def _notify(users: list[User], subject: str, body: str) -> None:
    recipients = [user.email for user in users if user.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(str(subject), str(body), None, recipients))


# ---------------------------------------------------------------------------------------------
# Transitions


def _lock(instance_id: int) -> ApprovalInstance:
    instance = (
        ApprovalInstance.objects.select_for_update()
        .select_related("definition", "subject_type")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        raise ApprovalNotFound()
    return instance


def _require_running(instance: ApprovalInstance) -> None:
    if instance.status != InstanceStatus.RUNNING:
        raise WrongState(
            _("This approval has ended (%(status)s).") % {"status": InstanceStatus(instance.status).label}
        )


def _set_instance_status(instance: ApprovalInstance, status: InstanceStatus) -> None:
    if status not in INSTANCE_TRANSITIONS[instance.status]:
        raise WrongState(
            _("This approval cannot change from %(old)s to %(new)s.")
            % {"old": InstanceStatus(instance.status).label, "new": status.label}
        )
    instance.status = status
    instance.finished_at = clock.now()
    instance.current_position = None
    instance.save(update_fields=["status", "finished_at", "current_position"])


def _set_step_status(step: ApprovalStep, status: StepStatus, *, reason: str = "") -> None:
    if status not in STEP_TRANSITIONS[step.status]:
        raise WrongState(
            _("The step %(step)s cannot change from %(old)s to %(new)s.")
            % {"step": step.name, "old": StepStatus(step.status).label, "new": status.label}
        )
    step.status = status
    step.status_reason = reason
    fields = ["status", "status_reason"]
    if status in (StepStatus.APPROVED, StepStatus.REJECTED, StepStatus.SKIPPED, StepStatus.CANCELLED):
        step.finished_at = clock.now()
        fields.append("finished_at")
    if status == StepStatus.WAITING:
        step.finished_at = step.activated_at = step.due_on = step.reminded_at = step.escalated_at = None
        fields += ["finished_at", "activated_at", "due_on", "reminded_at", "escalated_at"]
    step.save(update_fields=fields)


def _supersede_pending(step: ApprovalStep) -> None:
    step.assignments.filter(status=AssignmentStatus.PENDING).update(status=AssignmentStatus.SUPERSEDED)


def _step_organisation(instance: ApprovalInstance, step: StepFields) -> Organisation | None:
    if step.organisation_id:
        return step.organisation
    if step.organisation_field:
        organisation_id = instance.subject_data.get(step.organisation_field)
        organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
        if organisation is None:
            raise NoHandler(
                _(
                    "The step %(step)s takes its organisation from %(field)s, which this subject does not give."
                )
                % {"step": step.name, "field": step.organisation_field}
            )
        return organisation
    return None


def _activate(instance: ApprovalInstance, step: ApprovalStep) -> None:
    """Ask the step's handlers for their decision and start its clock."""
    organisation = None
    if step.handler_kind == HandlerKind.PERSON:
        people = [step.person] if step.person and step.person.is_active else []
    else:
        organisation = _step_organisation(instance, step)
        people = role_holders(organisation_id=organisation.pk, role=step.role) if organisation else []
        if step.mode == StepMode.SINGLE:
            people = people[:1]
    if not people:
        raise NoHandler(
            _(
                "Nobody can decide the step %(step)s: no active person holds its role. An administrator must "
                "reassign it first."
            )
            % {"step": step.name}
        )
    now = clock.now()
    Assignment.objects.bulk_create(
        Assignment(step=step, assignee=person, created_at=now) for person in people
    )
    _set_step_status(step, StepStatus.ACTIVE)
    step.resolved_organisation = organisation
    step.activated_at = now
    step.due_on = _due_on(step, clock.today_local())
    step.reminded_at = step.escalated_at = None
    step.save(
        update_fields=["resolved_organisation", "activated_at", "due_on", "reminded_at", "escalated_at"]
    )
    _record(instance, EventKind.STEP_STARTED, step=step)


def _due_on(step: ApprovalStep, started_on: date) -> date | None:
    """The step's due date, or None while its time limit reaches into a year whose holiday
    schedule is not published yet: the decision goes ahead, and the deadline sweep dates the
    step once an administrator has entered that year (the calendar never guesses)."""
    if not step.time_limit_working_days:
        return None
    try:
        return add_working_days(started_on, step.time_limit_working_days)
    except CalendarYearUnknown:
        return None


def _advance(instance: ApprovalInstance) -> None:
    """Move the approval on: start the next position's steps (all parallel branches at once)
    when nothing is current any more; finish it when nothing is left."""
    steps = list(instance.steps.select_related("person", "organisation").order_by("position", "id"))
    active = [step for step in steps if step.status == StepStatus.ACTIVE]
    if active:
        if instance.current_position != active[0].position:
            instance.current_position = active[0].position
            instance.save(update_fields=["current_position"])
        return
    waiting = [step for step in steps if step.status == StepStatus.WAITING]
    if not waiting:
        _finish(instance, Outcome.APPROVED, actor=None)
        return
    position = waiting[0].position
    for step in waiting:
        if step.position == position:
            _activate(instance, step)
    instance.current_position = position
    instance.save(update_fields=["current_position"])


def _finish(instance: ApprovalInstance, outcome: Outcome, *, actor: User | None, comment: str = "") -> None:
    for step in instance.steps.filter(status__in=[StepStatus.WAITING, StepStatus.ACTIVE]):
        _supersede_pending(step)
        _set_step_status(step, StepStatus.CANCELLED)
    _set_instance_status(instance, InstanceStatus(outcome.value))
    if outcome == Outcome.APPROVED:
        _record(instance, EventKind.COMPLETED)
    subject = instance.subject
    if subject is not None:
        approval_subjects.adapter_for_type(instance.subject_type).on_outcome(subject, outcome)


def _entitled(instance: ApprovalInstance, user: User, step_id: int | None) -> tuple[ApprovalStep, Assignment]:
    """The current step and pending assignment `user` decides: their own, or a delegator's while
    the delegation is in force. Refuses everyone else, naming an ended delegation when that is why."""
    steps = instance.steps.filter(status=StepStatus.ACTIVE)
    if step_id is not None:
        steps = steps.filter(pk=step_id)
    now = clock.now()
    delegators = set(delegators_of(user=user, at=now).values_list("pk", flat=True))
    for step in steps.order_by("position", "id"):
        pending = list(step.assignments.select_for_update().filter(status=AssignmentStatus.PENDING))
        for assignment in pending:
            if assignment.assignee_id == user.pk:
                return step, assignment
        for assignment in pending:
            if assignment.assignee_id in delegators:
                return step, assignment
        lapsed = (
            Delegation.objects.filter(delegate=user, delegator__in=[a.assignee_id for a in pending])
            .order_by("-ends_at")
            .select_related("delegator")
            .first()
        )
        if lapsed is not None:
            if lapsed.revoked_at is not None:
                raise NotEntitled(
                    _("%(person)s withdrew the delegation to you.") % {"person": lapsed.delegator}
                )
            if lapsed.ends_at <= now:
                raise NotEntitled(
                    _("Your delegation from %(person)s ended at %(end)s; you may no longer decide for them.")
                    % {
                        "person": lapsed.delegator,
                        "end": timezone.localtime(lapsed.ends_at).strftime("%Y-%m-%d %H:%M"),
                    }
                )
            raise NotEntitled(
                _("Your delegation from %(person)s starts at %(start)s.")
                % {
                    "person": lapsed.delegator,
                    "start": timezone.localtime(lapsed.starts_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
    raise NotEntitled(_("You are not asked to decide this approval now."))


def _decide(assignment: Assignment, status: AssignmentStatus, *, user: User, comment: str) -> User | None:
    """Record the decision on the assignment; returns whom the user acted for (None: themselves)."""
    assignment.status = status
    assignment.decided_by = user
    assignment.decided_at = clock.now()
    assignment.comment = comment
    assignment.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    return assignment.assignee if assignment.assignee_id != user.pk else None


def _step_done(step: ApprovalStep, decided: Assignment) -> bool:
    if decided.is_escalation or step.mode != StepMode.COUNTERSIGN:
        return True
    return not step.assignments.filter(status=AssignmentStatus.PENDING, is_escalation=False).exists()


def _required_reason(text: str, message: Any) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="reason_required")
    return text


# ---------------------------------------------------------------------------------------------
# Submitting


@transaction.atomic
def approval_submit(
    *, subject: Model, flow_code: str, submitter: User, comment: str = ""
) -> ApprovalInstance:
    """Put `subject` through the current published version of the flow `flow_code`.

    Before: the subject's model is registered, its adapter lets `submitter` submit it, and it has
    no running approval. After: a running instance pinned to that version, with every step
    copied (those whose condition does not hold for the subject's data are "not required"),
    the first position's steps assigned, and a `submitted` event in the history and the ledger."""
    adapter = approval_subjects.adapter_for(type(subject))
    if not adapter.can_submit(submitter, subject):
        raise NotAllowed(_("You may not submit this for approval."))
    definition = flow_definition_current(code=flow_code)
    if definition is None:
        raise UnknownFlow(_("There is no published approval flow %(code)s.") % {"code": flow_code})
    data = adapter.subject_data(subject)
    state_hash = adapter.state_hash(subject)
    try:
        with transaction.atomic():
            instance = ApprovalInstance.objects.create(
                definition=definition,
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=str(subject.pk),
                subject_title=adapter.title(subject)[:300],
                subject_data=data,
                subject_state_hash=state_hash,
                submitter=submitter,
                submitted_at=clock.now(),
            )
    except IntegrityError:
        raise WrongState(_("This is already going through an approval.")) from None
    for template in definition.steps.all():
        holds = conditions.evaluate(template.condition, data)
        ApprovalStep.objects.create(
            instance=instance,
            **_step_fields(template),
            status=StepStatus.WAITING if holds else StepStatus.SKIPPED,
            status_reason="" if holds else str(_("Its condition does not hold for this subject.")),
        )
    instance = _lock(instance.pk)
    _record(instance, EventKind.SUBMITTED, actor=submitter, comment=comment.strip(), state_hash=state_hash)
    _advance(instance)
    return instance


def _step_fields(template: StepFields) -> dict[str, Any]:
    names = [
        "key",
        "name",
        "position",
        "mode",
        "handler_kind",
        "role",
        "organisation_id",
        "organisation_field",
        "person_id",
        "condition",
        "time_limit_working_days",
        "supervisor_id",
    ]
    return {name: getattr(template, name) for name in names}


def _step_public(definition: FlowDefinition, step: StepDefinition) -> dict[str, Any]:
    """A step as the public ledger gives it: a person named as handler or supervisor is a keyed
    commitment, not their user id."""
    fields = {**_step_fields(step), "condition": step.condition}
    context = [definition.code, definition.version, step.key]
    del fields["person_id"], fields["supervisor_id"]
    fields["person_commit"] = _person_commit(step.person, role="step-person", context=context)
    fields["supervisor_commit"] = _person_commit(step.supervisor, role="step-supervisor", context=context)
    return fields


# ---------------------------------------------------------------------------------------------
# Decisions


@transaction.atomic
def approval_approve(
    *, instance_id: int, user: User, comment: str = "", step_id: int | None = None
) -> ApprovalInstance:
    """`user` approves a current step, in their own name or for a delegator.

    Before: the approval is running and `user` holds (or acts for someone who holds) a pending
    decision on a current step. After: the decision is recorded; when the step's mode is
    satisfied (single, any one of, or every countersigner) the step is approved, and the next
    position starts, or the approval ends approved and the subject is told."""
    instance = _lock(instance_id)
    _require_running(instance)
    step, assignment = _entitled(instance, user, step_id)
    on_behalf_of = _decide(assignment, AssignmentStatus.APPROVED, user=user, comment=comment.strip())
    _record(
        instance,
        EventKind.APPROVED,
        step=step,
        actor=user,
        on_behalf_of=on_behalf_of,
        comment=comment.strip(),
    )
    if _step_done(step, assignment):
        _supersede_pending(step)
        _set_step_status(step, StepStatus.APPROVED)
        _advance(instance)
    return instance


@transaction.atomic
def approval_reject(
    *, instance_id: int, user: User, reason: str, step_id: int | None = None
) -> ApprovalInstance:
    """`user` refuses: the whole approval ends rejected and goes back to the submitter (who may
    change the subject and submit it again). A reason is required."""
    reason = _required_reason(reason, _("Say why you reject it: the submitter needs to know what to change."))
    instance = _lock(instance_id)
    _require_running(instance)
    step, assignment = _entitled(instance, user, step_id)
    on_behalf_of = _decide(assignment, AssignmentStatus.REJECTED, user=user, comment=reason)
    _supersede_pending(step)
    _set_step_status(step, StepStatus.REJECTED)
    _record(instance, EventKind.REJECTED, step=step, actor=user, on_behalf_of=on_behalf_of, comment=reason)
    _finish(instance, Outcome.REJECTED, actor=user, comment=reason)
    return instance


@transaction.atomic
def approval_return(
    *, instance_id: int, user: User, to_step_id: int, reason: str, step_id: int | None = None
) -> ApprovalInstance:
    """`user` sends the approval back to an earlier, approved step for changes.

    After: that step and every later one are to be decided again (their earlier decisions stay
    in the history); the earlier step's handlers are asked again."""
    reason = _required_reason(reason, _("Say what must change."))
    instance = _lock(instance_id)
    _require_running(instance)
    step, assignment = _entitled(instance, user, step_id)
    target = instance.steps.filter(
        pk=to_step_id, status=StepStatus.APPROVED, position__lt=step.position
    ).first()
    if target is None:
        raise WrongState(_("An approval can only be returned to an earlier step that has been approved."))
    on_behalf_of = _decide(assignment, AssignmentStatus.RETURNED, user=user, comment=reason)
    _record(instance, EventKind.RETURNED, step=target, actor=user, on_behalf_of=on_behalf_of, comment=reason)
    redo = instance.steps.filter(
        status__in=[StepStatus.ACTIVE, StepStatus.APPROVED], position__gt=target.position
    )
    for later in [target, *redo]:
        _supersede_pending(later)
        _set_step_status(later, StepStatus.WAITING, reason=str(_("Returned for changes.")))
    _advance(instance)
    return instance


@transaction.atomic
def approval_comment(*, instance_id: int, user: User, comment: str) -> ApprovalEvent:
    """Anyone who may see a running approval adds a comment to its history."""
    comment = _required_reason(comment, _("Write a comment."))
    instance = _lock(instance_id)
    _require_running(instance)
    if not can_view(user=user, instance=instance):
        raise ApprovalNotFound()
    return _record(instance, EventKind.COMMENTED, actor=user, comment=comment)


@transaction.atomic
def approval_withdraw(*, instance_id: int, user: User, reason: str = "") -> ApprovalInstance:
    """The submitter takes the subject back before the approval ends; the subject is told."""
    instance = _lock(instance_id)
    if instance.submitter_id != user.pk:
        raise NotAllowed(_("Only the person who submitted it may withdraw it."))
    _require_running(instance)
    _record(instance, EventKind.WITHDRAWN, actor=user, comment=reason.strip())
    _finish(instance, Outcome.WITHDRAWN, actor=user)
    return instance


# ---------------------------------------------------------------------------------------------
# Delegation


@transaction.atomic
def delegation_create(
    *, delegator: User, delegate: User, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> Delegation:
    """`delegator` hands their approval decisions to `delegate` from `starts_at` to `ends_at`.
    Every decision the delegate takes shows that they acted for the delegator."""
    if delegate.pk == delegator.pk:
        raise DomainError(_("You cannot delegate to yourself."), code="delegation_to_self")
    if delegate_by_username(delegator=delegator, username=delegate.username) is None:
        raise NoSuchDelegate()  # inactive, not staff, or the delegator is not staff: one answer
    if ends_at <= starts_at or ends_at <= clock.now():
        raise DomainError(
            _("A delegation must end after it starts, and in the future."), code="delegation_period"
        )
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        created_at=clock.now(),
    )
    _delegation_log(delegation)
    return delegation


def _delegation_log(delegation: Delegation) -> None:
    """The public ledger learns that a delegation exists and when it holds, not who gave it to whom
    (both only as keyed commitments an auditor can check against the row)."""
    context = [delegation.pk]
    ledger_append(
        kind="approvals/delegation",
        payload={
            "delegation": delegation.pk,
            "delegator_commit": _person_commit(delegation.delegator, role="delegator", context=context),
            "delegate_commit": _person_commit(delegation.delegate, role="delegate", context=context),
            "starts_at": delegation.starts_at.isoformat(),
            "ends_at": delegation.ends_at.isoformat(),
            "revoked_at": delegation.revoked_at.isoformat() if delegation.revoked_at else None,
        },
    )


@transaction.atomic
def delegation_revoke(*, delegation_id: int, user: User) -> Delegation:
    """The delegator (or an administrator) ends a delegation now."""
    delegation = Delegation.objects.select_for_update().filter(pk=delegation_id).first()
    if delegation is None or (delegation.delegator_id != user.pk and not is_approvals_admin(user=user)):
        raise NotAllowed(_("Only the person who delegated may withdraw the delegation."))
    if delegation.revoked_at is None:
        delegation.revoked_at = clock.now()
        delegation.save(update_fields=["revoked_at"])
        _delegation_log(delegation)
    return delegation


# ---------------------------------------------------------------------------------------------
# Administrators: reassign and reroute a running approval


def _require_admin(user: User) -> None:
    if not is_approvals_admin(user=user):
        raise NotAllowed(_("Only an administrator may reassign or reroute an approval."))


def _instance_step(instance: ApprovalInstance, step_id: int) -> ApprovalStep:
    step = instance.steps.filter(pk=step_id).first()
    if step is None:
        raise ApprovalNotFound()
    return step


@transaction.atomic
def approval_reassign(
    *, instance_id: int, step_id: int, from_user: User, to_user: User, by: User, reason: str
) -> ApprovalInstance:
    """An administrator gives `from_user`'s pending decision on a current step to `to_user`."""
    _require_admin(by)
    reason = _required_reason(reason, _("Give the reason for the change."))
    instance = _lock(instance_id)
    _require_running(instance)
    step = _instance_step(instance, step_id)
    assignment = step.assignments.filter(assignee=from_user, status=AssignmentStatus.PENDING).first()
    if assignment is None:
        raise WrongState(_("%(person)s has no pending decision on this step.") % {"person": from_user})
    if step.assignments.filter(assignee=to_user, status=AssignmentStatus.PENDING).exists():
        raise WrongState(_("%(person)s is already asked to decide this step.") % {"person": to_user})
    assignment.status = AssignmentStatus.SUPERSEDED
    assignment.save(update_fields=["status"])
    Assignment.objects.create(
        step=step, assignee=to_user, is_escalation=assignment.is_escalation, created_at=clock.now()
    )
    _record(instance, EventKind.REASSIGNED, step=step, actor=by, comment=f"{from_user} → {to_user}: {reason}")
    return instance


@transaction.atomic
def approval_step_skip(*, instance_id: int, step_id: int, by: User, reason: str) -> ApprovalInstance:
    """An administrator skips a current or coming step of a running approval."""
    _require_admin(by)
    reason = _required_reason(reason, _("Give the reason for the change."))
    instance = _lock(instance_id)
    _require_running(instance)
    step = _instance_step(instance, step_id)
    if step.status not in (StepStatus.WAITING, StepStatus.ACTIVE):
        raise WrongState(_("Only a current or coming step can be skipped."))
    _supersede_pending(step)
    _set_step_status(step, StepStatus.SKIPPED, reason=reason)
    _record(instance, EventKind.STEP_SKIPPED, step=step, actor=by, comment=reason)
    _advance(instance)
    return instance


def _later_position_check(instance: ApprovalInstance, position: int) -> None:
    if instance.current_position is not None and position <= instance.current_position:
        raise WrongState(
            _("Steps can only be placed after the current position (%(position)s).")
            % {"position": instance.current_position}
        )


@transaction.atomic
def approval_step_insert(
    *,
    instance_id: int,
    by: User,
    reason: str,
    position: int,
    name: str,
    mode: str = StepMode.SINGLE,
    person: User | None = None,
    role: str = "",
    organisation: Organisation | None = None,
    time_limit_working_days: int | None = None,
) -> ApprovalStep:
    """An administrator inserts a step into a running approval before `position` (later steps
    move down one), handled by a named person or a role in an organisation."""
    _require_admin(by)
    reason = _required_reason(reason, _("Give the reason for the change."))
    instance = _lock(instance_id)
    _require_running(instance)
    _later_position_check(instance, position)
    if not (person or (role and organisation)):
        raise DomainError(
            _("A step needs a handler: a person, or a role in an organisation."), code="no_handler"
        )
    for later in instance.steps.filter(position__gte=position).order_by("-position"):
        later.position += 1
        later.save(update_fields=["position"])
    count = instance.steps.count() + 1
    step = ApprovalStep.objects.create(
        instance=instance,
        key=f"inserted-{count}",
        name=name,
        position=position,
        mode=mode,
        handler_kind=HandlerKind.PERSON if person else HandlerKind.ROLE,
        person=person,
        role=role if not person else "",
        organisation=organisation if not person else None,
        time_limit_working_days=time_limit_working_days,
        inserted=True,
    )
    _record(instance, EventKind.STEP_INSERTED, step=step, actor=by, comment=reason)
    return step


@transaction.atomic
def approval_step_move(
    *, instance_id: int, step_id: int, to_position: int, by: User, reason: str
) -> ApprovalInstance:
    """An administrator moves a coming step to another later position (to the same position as
    another step, it becomes a parallel branch of it)."""
    _require_admin(by)
    reason = _required_reason(reason, _("Give the reason for the change."))
    instance = _lock(instance_id)
    _require_running(instance)
    step = _instance_step(instance, step_id)
    if step.status != StepStatus.WAITING:
        raise WrongState(_("Only a step still to come can be moved."))
    _later_position_check(instance, to_position)
    step.position = to_position
    step.save(update_fields=["position"])
    _record(instance, EventKind.STEP_MOVED, step=step, actor=by, comment=reason)
    return instance


# ---------------------------------------------------------------------------------------------
# Time limits


def approval_deadlines_check(*, today: date | None = None) -> dict[str, int]:
    """Remind the handlers of steps due within a working day, and escalate overdue steps to
    their supervisors. Idempotent: each step is reminded and escalated once per activation, so
    running it twice (or from two beat schedulers) changes nothing the second time."""
    today = today or clock.today_local()
    counts = {"reminded": 0, "escalated": 0}
    _date_undated_steps()
    candidates = (
        ApprovalStep.objects.filter(
            status=StepStatus.ACTIVE,
            due_on__isnull=False,
            instance__status=InstanceStatus.RUNNING,
        )
        .filter(Q(reminded_at__isnull=True) | Q(escalated_at__isnull=True))
        .values_list("pk", flat=True)
    )
    for step_id in list(candidates):
        done = _deadline_check_one(step_id=step_id, today=today)
        if done:
            counts[done] += 1
    return counts


def _date_undated_steps() -> None:
    """Give a due date to current steps whose time limit could not be counted when they started
    (the next year's calendar was not known yet) once it can be."""
    undated = ApprovalStep.objects.filter(
        status=StepStatus.ACTIVE,
        due_on__isnull=True,
        time_limit_working_days__isnull=False,
        instance__status=InstanceStatus.RUNNING,
    ).exclude(time_limit_working_days=0)
    for step in undated:
        assert step.activated_at is not None  # an active step has started
        due_on = _due_on(step, timezone.localdate(step.activated_at))
        if due_on is not None:
            ApprovalStep.objects.filter(pk=step.pk, due_on__isnull=True).update(due_on=due_on)


@transaction.atomic
def _deadline_check_one(*, step_id: int, today: date) -> str | None:
    step = ApprovalStep.objects.filter(pk=step_id).select_related("instance").first()
    if step is None:
        return None
    instance = _lock(step.instance_id)
    step = ApprovalStep.objects.select_related("supervisor").get(pk=step_id)  # re-read under the lock
    if instance.status != InstanceStatus.RUNNING or step.status != StepStatus.ACTIVE or step.due_on is None:
        return None
    waiting_for = [
        a.assignee
        for a in step.assignments.filter(status=AssignmentStatus.PENDING).select_related("assignee")
    ]
    if today > step.due_on and step.escalated_at is None:
        already = {a.assignee_id for a in step.assignments.filter(status=AssignmentStatus.PENDING)}
        supervisors = [person for person in supervisors_for(step=step) if person.pk not in already]
        now = clock.now()
        Assignment.objects.bulk_create(
            Assignment(step=step, assignee=person, is_escalation=True, created_at=now)
            for person in supervisors
        )
        step.escalated_at = now
        step.reminded_at = step.reminded_at or now  # no reminder after the escalation
        step.save(update_fields=["escalated_at", "reminded_at"])
        names = ", ".join(str(person) for person in supervisors) or str(_("nobody: no supervisor is known"))
        _record(
            instance,
            EventKind.ESCALATED,
            step=step,
            comment=str(
                _("Overdue since %(due)s; escalated to %(names)s.") % {"due": step.due_on, "names": names}
            ),
        )
        _notify(
            supervisors + waiting_for,
            _("Overdue approval escalated to you: %(title)s") % {"title": instance.subject_title},
            _("The step %(step)s was due on %(due)s.") % {"step": step.name, "due": step.due_on},
        )
        return "escalated"
    try:
        remind_from: date | None = add_working_days(step.due_on, -REMINDER_WORKING_DAYS_BEFORE)
    except CalendarYearUnknown:
        remind_from = None  # the working day before cannot be counted: no early reminder, never a crash
    if remind_from is not None and today >= remind_from and step.reminded_at is None:
        step.reminded_at = clock.now()
        step.save(update_fields=["reminded_at"])
        _record(
            instance, EventKind.REMINDED, step=step, comment=str(_("Due on %(due)s.") % {"due": step.due_on})
        )
        _notify(
            waiting_for,
            _("Approval due soon: %(title)s") % {"title": instance.subject_title},
            _("The step %(step)s is due on %(due)s.") % {"step": step.name, "due": step.due_on},
        )
        return "reminded"
    return None


# ---------------------------------------------------------------------------------------------
# Definitions


def flow_definition_problems(*, steps: list[StepFields]) -> list[str]:
    """What makes a definition unusable: a step without a handler, an invalid condition, an
    unreachable step (its condition can never hold, or a position no step can reach)."""
    problems: list[str] = []
    if not steps:
        problems.append(str(_("A flow needs at least one step.")))
    keys = [step.key for step in steps]
    for key in {key for key in keys if keys.count(key) > 1}:
        problems.append(str(_("Two steps share the key %(key)s.") % {"key": key}))
    for step in steps:
        if step.handler_kind == HandlerKind.PERSON and not step.person_id:
            problems.append(
                str(_("The step %(step)s has no handler: name the person.") % {"step": step.name})
            )
        if step.handler_kind == HandlerKind.ROLE and not (
            step.role and (step.organisation_id or step.organisation_field)
        ):
            problems.append(
                str(
                    _(
                        "The step %(step)s has no handler: give a role and an organisation (fixed, or "
                        "from a subject field)."
                    )
                    % {"step": step.name}
                )
            )
        try:
            conditions.validate(step.condition)
        except DomainError as exc:
            problems.append(f"{step.name}: {exc}")
            continue
        if conditions.unsatisfiable(step.condition):
            problems.append(
                str(
                    _("The step %(step)s is unreachable: its condition can never hold.") % {"step": step.name}
                )
            )
    return problems


@transaction.atomic
def flow_definition_publish(*, definition_id: int, by: User) -> FlowDefinition:
    """Freeze a definition version and make it the one new approvals start on.

    Before: not yet published, no problems (see `flow_definition_problems`)."""
    _require_admin(by)
    definition = FlowDefinition.objects.select_for_update().get(pk=definition_id)
    if definition.published_at:
        raise WrongState(_("This version is already published; make a new version to change it."))
    return _definition_publish(definition, by=by)


def _definition_publish(definition: FlowDefinition, *, by: User | None) -> FlowDefinition:
    problems = flow_definition_problems(steps=list(definition.steps.all()))
    if problems:
        raise DomainError(" ".join(problems), code="invalid_definition")
    definition.published_at = clock.now()
    definition.save(update_fields=["published_at"])
    ledger_append(
        kind="approvals/flow-published",
        payload={
            "flow": definition.code,
            "version": definition.version,
            "by": "administrator" if by else "platform",
            "steps": [_step_public(definition, step) for step in definition.steps.all()],
        },
    )
    return definition


@transaction.atomic
def flow_definition_ensure(
    *, code: str, name: str, description: str, steps: list[dict[str, Any]]
) -> FlowDefinition:
    """The flow an app ships by default: the current published version of `code`, or else version 1
    made from `steps` (StepDefinition fields), checked like any definition and published by the
    platform (`by` null in the ledger). Administrators change it later by making new versions."""
    current = flow_definition_current(code=code)
    if current is not None:
        return current
    definition, _created = FlowDefinition.objects.get_or_create(
        code=code, version=1, defaults={"name": name, "description": description}
    )
    definition = FlowDefinition.objects.select_for_update().get(pk=definition.pk)
    if definition.published_at:  # published meanwhile by another process
        return definition
    if not definition.steps.exists():
        for fields in steps:
            StepDefinition.objects.create(definition=definition, **fields)
    return _definition_publish(definition, by=None)


@transaction.atomic
def flow_definition_new_version(*, definition_id: int, by: User) -> FlowDefinition:
    """A draft copy of a definition, numbered after the latest version of its code, to edit."""
    _require_admin(by)
    source = FlowDefinition.objects.get(pk=definition_id)
    latest = (
        FlowDefinition.objects.select_for_update()
        .filter(code=source.code)
        .aggregate(Max("version"))["version__max"]
    )
    draft = FlowDefinition.objects.create(
        code=source.code,
        version=latest + 1,
        name=source.name,
        description=source.description,
    )
    for step in source.steps.all():
        StepDefinition.objects.create(definition=draft, **_step_fields(step))
    return draft
