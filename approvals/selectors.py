"""Reads of the approval engine, with its visibility rules: who may see an approval, what is
in someone's inbox, and which actions a viewer may take."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Membership, User
from accounts.selectors import user_has_role
from approvals.constants import AssignmentStatus, InstanceStatus, StepStatus
from approvals.exceptions import ApprovalNotFound
from approvals.models import (
    ApprovalEvent,
    ApprovalInstance,
    ApprovalStep,
    Assignment,
    Delegation,
    FlowDefinition,
)
from approvals.registry import approval_subjects
from config import clock


def is_approvals_admin(*, user: User) -> bool:
    """Administrators reassign and reroute running approvals and edit definitions."""
    return bool(
        user.is_authenticated and (user.is_superuser or user_has_role(user=user, role=Role.PLATFORM_ADMIN))
    )


# Who decides approvals, and so may delegate and be delegated to: staff, never citizens or
# suppliers' people (whose usernames a delegation form must not let anyone confirm).
DECIDING_ROLES = (
    Role.PROCUREMENT_OFFICER,
    Role.APPROVER,
    Role.SUPERVISOR,
    Role.DEPARTMENT_STAFF,
    Role.PLATFORM_ADMIN,
)


def is_decider(*, user: User) -> bool:
    return bool(
        user.is_authenticated and user.memberships.filter(role__in=DECIDING_ROLES, is_active=True).exists()
    )


def delegate_by_username(*, delegator: User, username: str) -> User | None:
    """The active staff member `delegator` names, or None. None as well when the delegator is not
    staff: a citizen or a supplier's employee gets the same answer for every name, so the form
    confirms no one's username to someone who could not see it anyway."""
    if not is_decider(user=delegator):
        return None
    return (
        User.objects.filter(
            username=username.strip(),
            is_active=True,
            memberships__role__in=DECIDING_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .first()
    )


def delegators_of(*, user: User, at: datetime | None = None) -> QuerySet[User]:
    """People whose decisions `user` may take at `at` (now by default) by a delegation in force."""
    moment = at or clock.now()
    return User.objects.filter(
        delegations_given__delegate=user,
        delegations_given__starts_at__lte=moment,
        delegations_given__ends_at__gt=moment,
        delegations_given__revoked_at__isnull=True,
    ).distinct()


def delegations_of(*, user: User) -> QuerySet[Delegation]:
    return Delegation.objects.filter(Q(delegator=user) | Q(delegate=user)).select_related(
        "delegator", "delegate"
    )


def inbox(*, user: User) -> QuerySet[Assignment]:
    """Decisions waiting for `user`: their own, their delegators' (while the delegation is in
    force) and escalated ones, on current steps of running approvals; oldest due first."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    people = [user.pk, *delegators_of(user=user).values_list("pk", flat=True)]
    return (
        Assignment.objects.filter(
            assignee__in=people,
            status=AssignmentStatus.PENDING,
            step__status=StepStatus.ACTIVE,
            step__instance__status=InstanceStatus.RUNNING,
        )
        .select_related("step", "step__instance", "step__instance__submitter", "assignee")
        .annotate(
            overdue=Case(
                When(step__due_on__lt=clock.today_local(), then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .order_by("step__due_on", "step__activated_at")
    )


@dataclass
class InboxCounts:
    waiting: int
    overdue: int
    delegated: int
    submitted_running: int


def inbox_counts(*, user: User) -> InboxCounts:
    tasks = inbox(user=user)
    return InboxCounts(
        waiting=tasks.count(),
        overdue=tasks.filter(step__due_on__lt=clock.today_local()).count(),
        delegated=tasks.exclude(assignee=user).count(),
        submitted_running=ApprovalInstance.objects.filter(
            submitter=user, status=InstanceStatus.RUNNING
        ).count(),
    )


def submitted_by(*, user: User) -> QuerySet[ApprovalInstance]:
    return ApprovalInstance.objects.filter(submitter=user).select_related("definition")


def can_view(*, user: User, instance: ApprovalInstance) -> bool:
    if not user.is_authenticated:
        return False
    if instance.submitter_id == user.pk or is_approvals_admin(user=user):
        return True
    people = [user.pk, *delegators_of(user=user).values_list("pk", flat=True)]
    if Assignment.objects.filter(step__instance=instance, assignee__in=people).exists():
        return True
    model = instance.subject_type.model_class()
    subject = instance.subject
    if subject is None or model is None or not approval_subjects.is_registered(model):
        return False
    return approval_subjects.adapter_for_type(instance.subject_type).can_view(user, subject)


def approval_get(*, instance_id: int, user: User) -> ApprovalInstance:
    """The approval, when `user` may see it; otherwise ApprovalNotFound (not "forbidden":
    outsiders do not learn that it exists)."""
    instance = (
        ApprovalInstance.objects.select_related("definition", "submitter").filter(pk=instance_id).first()
    )
    if instance is None or not can_view(user=user, instance=instance):
        raise ApprovalNotFound()
    return instance


def events_after(*, instance: ApprovalInstance, after_seq: int = 0) -> QuerySet[ApprovalEvent]:
    return instance.events.filter(seq__gt=after_seq).select_related("actor", "on_behalf_of", "step")


@dataclass(frozen=True)
class HistoryEntry:
    """One row of an approval's history as its viewers see it, in the active language: the page's
    table renders it and the live page is sent it, so it holds the row's text and nothing more
    (no usernames, ids or hashes; the API's events endpoint is the place for those)."""

    seq: int
    at: str  # ISO 8601, local time
    at_display: str  # as the table shows it
    kind: str
    what: str  # the event, and its step
    who: str  # who acted, and for whom; or the platform
    comment: str
    announcement: str  # one sentence for a screen reader


def history_entries(
    *, instance: ApprovalInstance, after_seq: int = 0, through_seq: int | None = None
) -> list[HistoryEntry]:
    """The history of an approval the caller already got through `approval_get`: whoever may see
    the approval sees every event of it (as on the page and in the API), so there is no further
    filter here. Only events after `after_seq` (and up to `through_seq`), in order."""
    events = events_after(instance=instance, after_seq=after_seq)
    if through_seq is not None:
        events = events.filter(seq__lte=through_seq)
    return [_history_entry(event) for event in events.order_by("seq")]


def _history_entry(event: ApprovalEvent) -> HistoryEntry:
    what = event.get_kind_display()
    if event.step is not None:
        what = f"{what}: {event.step.name}"
    if event.actor is None:
        who = _("the platform")
    elif event.on_behalf_of is not None:
        who = f"{event.actor} ({_('for %(person)s') % {'person': event.on_behalf_of}})"
    else:
        who = str(event.actor)
    if event.comment:
        announcement = _("%(who)s: %(what)s — %(comment)s") % {
            "who": who,
            "what": what,
            "comment": event.comment,
        }
    else:
        announcement = _("%(who)s: %(what)s") % {"who": who, "what": what}
    at = timezone.localtime(event.at)
    return HistoryEntry(
        seq=event.seq,
        at=at.isoformat(),
        at_display=at.strftime("%Y-%m-%d %H:%M"),
        kind=event.kind,
        what=what,
        who=who,
        comment=event.comment,
        announcement=announcement,
    )


@dataclass
class Decidable:
    """A step the viewer may decide now, and for whom they would act."""

    step: ApprovalStep
    assignment: Assignment
    on_behalf_of: User | None


@dataclass
class ViewerActions:
    decidable: list[Decidable] = field(default_factory=list)
    return_targets: list[ApprovalStep] = field(default_factory=list)
    can_withdraw: bool = False
    can_comment: bool = False
    is_admin: bool = False

    @property
    def any(self) -> bool:
        return bool(self.decidable or self.can_withdraw or self.can_comment or self.is_admin)


def decidable_steps(*, instance: ApprovalInstance, user: User) -> list[Decidable]:
    """The current steps `user` may decide: own assignment first, then a delegator's."""
    if instance.status != InstanceStatus.RUNNING or not user.is_authenticated:
        return []
    delegators = set(delegators_of(user=user).values_list("pk", flat=True))
    result = []
    active_steps = instance.steps.filter(status=StepStatus.ACTIVE).prefetch_related("assignments__assignee")
    for step in active_steps:
        pending = [a for a in step.assignments.all() if a.status == AssignmentStatus.PENDING]
        own = next((a for a in pending if a.assignee_id == user.pk), None)
        if own:
            result.append(Decidable(step, own, None))
            continue
        delegated = next((a for a in pending if a.assignee_id in delegators), None)
        if delegated:
            result.append(Decidable(step, delegated, delegated.assignee))
    return result


def return_targets(*, instance: ApprovalInstance, step: ApprovalStep) -> list[ApprovalStep]:
    """Earlier approved steps the approval may be sent back to from `step`."""
    return list(instance.steps.filter(status=StepStatus.APPROVED, position__lt=step.position))


def viewer_actions(*, instance: ApprovalInstance, user: User) -> ViewerActions:
    decidable = decidable_steps(instance=instance, user=user)
    running = instance.status == InstanceStatus.RUNNING
    targets = return_targets(instance=instance, step=decidable[0].step) if decidable else []
    return ViewerActions(
        decidable=decidable,
        return_targets=targets,
        can_withdraw=running and instance.submitter_id == user.pk,
        can_comment=running and can_view(user=user, instance=instance),
        is_admin=running and is_approvals_admin(user=user),
    )


@dataclass
class TimelineStep:
    step: ApprovalStep
    assignments: list[Assignment]
    overdue: bool
    parallel: bool


def timeline(*, instance: ApprovalInstance) -> list[TimelineStep]:
    """The whole path in order: done, current and still to come (parallel steps share a position)."""
    steps = list(
        instance.steps.select_related("resolved_organisation", "organisation", "person").prefetch_related(
            "assignments__assignee", "assignments__decided_by"
        )
    )
    per_position: dict[int, int] = {}
    for step in steps:
        per_position[step.position] = per_position.get(step.position, 0) + 1
    today = clock.today_local()
    return [
        TimelineStep(
            step=step,
            assignments=[a for a in step.assignments.all() if a.status != AssignmentStatus.SUPERSEDED],
            overdue=step.status == StepStatus.ACTIVE and bool(step.due_on) and step.due_on < today,
            parallel=per_position[step.position] > 1,
        )
        for step in steps
    ]


def flow_definition_current(*, code: str) -> FlowDefinition | None:
    """The latest published version of the flow `code` (new approvals start on it)."""
    return FlowDefinition.objects.filter(code=code, published_at__isnull=False).order_by("-version").first()


def flow_definitions() -> QuerySet[FlowDefinition]:
    return FlowDefinition.objects.prefetch_related("steps")


def supervisors_for(*, step: ApprovalStep) -> list[User]:
    """Whom an overdue step escalates to: its named supervisor, else its organisation's
    supervisors, else the platform administrators."""
    if step.supervisor is not None:
        return [step.supervisor]
    if step.resolved_organisation_id:
        people = _members(organisation_id=step.resolved_organisation_id, role=Role.SUPERVISOR)
        if people:
            return people
    return list(
        User.objects.filter(
            memberships__role=Role.PLATFORM_ADMIN, memberships__is_active=True, is_active=True
        ).distinct()
    )


def _members(*, organisation_id: int, role: str) -> list[User]:
    memberships = (
        Membership.objects.filter(
            organisation_id=organisation_id, role=role, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("created_at", "id")
    )
    return [membership.user for membership in memberships]


def role_holders(*, organisation_id: int, role: str) -> list[User]:
    """Active holders of `role` in the organisation, longest-serving first."""
    return _members(organisation_id=organisation_id, role=role)
