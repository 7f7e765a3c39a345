from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.constants import StepMode
from approvals.models import (
    ApprovalEvent,
    ApprovalInstance,
    ApprovalStep,
    Assignment,
    Delegation,
    FlowDefinition,
    StepDefinition,
)


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class AssignmentOutput(serializers.ModelSerializer):
    assignee = PersonOutput()
    decided_by = PersonOutput(allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "assignee", "status", "is_escalation", "decided_by", "decided_at", "comment"]


class StepOutput(serializers.ModelSerializer):
    assignments = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalStep
        fields = [
            "id",
            "key",
            "name",
            "position",
            "mode",
            "handler_kind",
            "role",
            "organisation",
            "status",
            "status_reason",
            "inserted",
            "activated_at",
            "due_on",
            "finished_at",
            "assignments",
        ]

    def get_organisation(self, step: ApprovalStep) -> str | None:
        organisation = step.resolved_organisation or step.organisation
        return str(organisation) if organisation else None

    @extend_schema_field(AssignmentOutput(many=True))
    def get_assignments(self, step: ApprovalStep) -> list[dict]:
        return list(
            AssignmentOutput([a for a in step.assignments.all() if a.status != "superseded"], many=True).data
        )


class EventOutput(serializers.ModelSerializer):
    actor = PersonOutput(allow_null=True)
    on_behalf_of = PersonOutput(allow_null=True)
    step: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = ApprovalEvent
        fields = [
            "seq",
            "kind",
            "step",
            "actor",
            "on_behalf_of",
            "comment",
            "subject_state_hash",
            "at",
            "ledger_index",
        ]


class SubjectOutput(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    summary = serializers.CharField()


class InstanceSummaryOutput(serializers.ModelSerializer):
    flow = serializers.CharField(source="definition.code")
    flow_version = serializers.IntegerField(source="definition.version")
    submitter = PersonOutput()

    class Meta:
        model = ApprovalInstance
        fields = [
            "id",
            "flow",
            "flow_version",
            "subject_title",
            "submitter",
            "status",
            "current_position",
            "submitted_at",
            "finished_at",
            "last_event_seq",
        ]


class InstanceOutput(InstanceSummaryOutput):
    steps = StepOutput(many=True)
    subject = serializers.SerializerMethodField()

    class Meta(InstanceSummaryOutput.Meta):
        fields = [*InstanceSummaryOutput.Meta.fields, "subject", "subject_state_hash", "steps"]

    @extend_schema_field(SubjectOutput)
    def get_subject(self, instance: ApprovalInstance) -> dict:
        return self.context["subject"]


class InboxItemOutput(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    approval = InstanceSummaryOutput(source="step.instance")
    step = serializers.CharField(source="step.name")
    step_id = serializers.IntegerField(source="step.pk")
    on_behalf_of = serializers.SerializerMethodField()
    is_escalation = serializers.BooleanField()
    due_on = serializers.DateField(source="step.due_on", allow_null=True)
    overdue = serializers.BooleanField()

    def get_on_behalf_of(self, assignment: Assignment) -> str | None:
        user = self.context["request"].user
        return assignment.assignee.username if assignment.assignee_id != user.pk else None


class InboxOutput(serializers.Serializer):
    waiting = serializers.IntegerField()
    overdue = serializers.IntegerField()
    delegated = serializers.IntegerField()
    submitted_running = serializers.IntegerField()
    tasks = InboxItemOutput(many=True)


class DecisionInput(serializers.Serializer):
    step_id = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInput(serializers.Serializer):
    step_id = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField()


class ReturnInput(RejectInput):
    to_step_id = serializers.IntegerField()


class CommentInput(serializers.Serializer):
    comment = serializers.CharField()


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignInput(serializers.Serializer):
    step_id = serializers.IntegerField()
    from_user = serializers.CharField(help_text="username")
    to_user = serializers.CharField(help_text="username")
    reason = serializers.CharField()


class SkipInput(serializers.Serializer):
    step_id = serializers.IntegerField()
    reason = serializers.CharField()


class MoveInput(SkipInput):
    to_position = serializers.IntegerField(min_value=1)


class InsertInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=200)
    mode = serializers.ChoiceField(choices=StepMode.choices, default=StepMode.SINGLE)
    person = serializers.CharField(required=False, help_text="username of the person who decides")
    role = serializers.CharField(required=False, allow_blank=True, default="")
    organisation_id = serializers.IntegerField(required=False, allow_null=True)
    time_limit_working_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reason = serializers.CharField()


class DelegationInput(serializers.Serializer):
    delegate = serializers.CharField(help_text="username")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DelegationOutput(serializers.ModelSerializer):
    delegator = PersonOutput()
    delegate = PersonOutput()

    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegate", "starts_at", "ends_at", "reason", "revoked_at"]


class StepDefinitionOutput(serializers.ModelSerializer):
    class Meta:
        model = StepDefinition
        fields = [
            "key",
            "name",
            "position",
            "mode",
            "handler_kind",
            "role",
            "organisation",
            "organisation_field",
            "person",
            "condition",
            "time_limit_working_days",
            "supervisor",
        ]


class DefinitionOutput(serializers.ModelSerializer):
    steps = StepDefinitionOutput(many=True)

    class Meta:
        model = FlowDefinition
        fields = ["id", "code", "version", "name", "description", "published_at", "steps"]


class SubmitInput(serializers.Serializer):
    subject_type = serializers.RegexField(
        r"^[a-z_]+\.[a-z_]+$", help_text="app_label.model, e.g. procurement.plan"
    )
    subject_id = serializers.CharField(max_length=64)
    flow = serializers.SlugField(help_text="the flow definition's code")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
