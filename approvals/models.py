"""Flow definitions (versioned data), running instances pinned to a version, their steps,
the people asked to decide, delegations, and the history of every event."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from approvals.constants import AssignmentStatus, EventKind, HandlerKind, InstanceStatus, StepMode, StepStatus


class FlowDefinition(models.Model):
    """One version of a flow. Published versions are frozen; editing means a new version, and
    every instance keeps the version it started with."""

    code = models.SlugField(_("code"), max_length=64, help_text=_("Subject apps name the flow by this code."))
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="flow_definition_code_version")
        ]
        verbose_name = _("flow definition")
        verbose_name_plural = _("flow definitions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"


class StepFields(models.Model):
    """What a step is, shared by the definition's steps and the running copies of them."""

    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    # Steps run in order of position; steps with the same position are parallel branches,
    # and the flow moves on only when all of them are done (the join).
    position = models.PositiveIntegerField(_("position"))
    mode = models.CharField(_("mode"), max_length=16, choices=StepMode.choices, default=StepMode.SINGLE)
    handler_kind = models.CharField(
        _("handled by"), max_length=8, choices=HandlerKind.choices, default=HandlerKind.ROLE
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # Or the organisation named by the subject, e.g. "buyer_id": the buyer of this very plan.
    organisation_field = models.CharField(
        _("organisation from subject field"),
        max_length=64,
        blank=True,
        help_text=_(
            "A field of the subject's data holding an organisation id, used when no organisation is fixed."
        ),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    condition = models.JSONField(
        _("condition"),
        null=True,
        blank=True,
        help_text=_(
            'Only when this holds for the subject, e.g. {"field": "budget", "op": ">=", "value": "4000000"}.'
        ),
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), null=True, blank=True
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervisor"),
        help_text=_(
            "Whom an overdue step escalates to; by default the supervisors of the step's organisation."
        ),
    )

    class Meta:
        abstract = True


class StepDefinition(StepFields):
    definition = models.ForeignKey(FlowDefinition, on_delete=models.CASCADE, related_name="steps")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["definition", "key"], name="step_definition_key")]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ApprovalInstance(models.Model):
    """One subject going through one version of a flow."""

    definition = models.ForeignKey(FlowDefinition, on_delete=models.PROTECT, related_name="instances")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    # What the subject was when submitted: its data (conditions were judged on it) and hash.
    subject_title = models.CharField(_("subject"), max_length=300)
    subject_data = models.JSONField(default=dict)
    subject_state_hash = models.CharField(max_length=64)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_approvals"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    current_position = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    last_event_seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # One approval at a time per subject.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=models.Q(status="running"),
                name="approval_one_running_per_subject",
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject_title}"


class ApprovalStep(StepFields):
    """A step of one running instance: copied from the definition at submission so that an
    administrator's rerouting changes this approval only."""

    instance = models.ForeignKey(ApprovalInstance, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING)
    status_reason = models.CharField(max_length=300, blank=True)
    inserted = models.BooleanField(default=False)  # added by an administrator on this instance
    resolved_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["instance", "key"], name="approval_step_key")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Assignment(models.Model):
    """A person asked to decide a step (an escalation adds the supervisor as one more)."""

    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_assignments"
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    is_escalation = models.BooleanField(default=False)
    # Who actually decided: the assignee, or the delegate acting for them.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return f"{self.assignee} · {self.step} · {self.status}"


class Delegation(models.Model):
    """`delegator` hands their approval decisions to `delegate` from `starts_at` until `ends_at`."""

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate}"


class ApprovalEvent(models.Model):
    """The history: one row per event, numbered per instance so a reconnecting page asks for
    what it missed; the same facts go to the ledger in the same transaction."""

    instance = models.ForeignKey(ApprovalInstance, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    step = models.ForeignKey(
        ApprovalStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    subject_state_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    ledger_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["instance", "seq"]
        constraints = [models.UniqueConstraint(fields=["instance", "seq"], name="approval_event_seq")]

    def __str__(self) -> str:
        return f"#{self.instance_id}.{self.seq} {self.kind}"
