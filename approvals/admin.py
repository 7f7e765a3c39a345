"""Definitions are edited here. A published version is read-only (running approvals keep it);
"new version" copies it into a draft; "publish" validates: every step has a handler, every
condition is valid and reachable."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from approvals import conditions
from approvals.models import (
    ApprovalEvent,
    ApprovalInstance,
    ApprovalStep,
    Delegation,
    FlowDefinition,
    StepDefinition,
)
from approvals.services import flow_definition_new_version, flow_definition_problems, flow_definition_publish
from config.exceptions import DomainError


class StepInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        steps = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            try:
                conditions.validate(form.cleaned_data.get("condition"))
            except DomainError as exc:
                form.add_error("condition", str(exc))
            steps.append(form.instance)
        problems = flow_definition_problems(steps=steps)
        if problems:
            raise forms.ValidationError(problems)


class StepInline(admin.StackedInline):
    model = StepDefinition
    formset = StepInlineFormSet
    extra = 0
    fields = [
        ("key", "name", "position"),
        ("mode", "handler_kind"),
        ("role", "organisation", "organisation_field"),
        "person",
        "condition",
        ("time_limit_working_days", "supervisor"),
    ]
    autocomplete_fields = ["person", "supervisor", "organisation"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.published_at is None

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(FlowDefinition)
class FlowDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "version", "published_at")
    list_filter = ("code",)
    search_fields = ("name", "code")
    inlines = [StepInline]
    actions = ["publish", "new_version"]

    def get_readonly_fields(self, request, obj=None):
        return (
            ["code", "version", "name", "description", "published_at"]
            if obj and obj.published_at
            else ["published_at"]
        )

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request, queryset):
        for definition in queryset:
            try:
                flow_definition_publish(definition_id=definition.pk, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{definition}: {exc}", messages.ERROR)
            else:
                self.message_user(request, _("%(flow)s published.") % {"flow": definition}, messages.SUCCESS)

    @admin.action(description=_("Make a new draft version of the selected definitions"))
    def new_version(self, request, queryset):
        for definition in queryset:
            draft = flow_definition_new_version(definition_id=definition.pk, by=request.user)
            self.message_user(request, _("%(flow)s created as a draft.") % {"flow": draft}, messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and running approvals change only through the services (and the ledger)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    fields = ("position", "name", "mode", "status", "due_on")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApprovalInstance)
class ApprovalInstanceAdmin(ReadOnlyAdmin):
    list_display = ("pk", "subject_title", "definition", "submitter", "status", "submitted_at")
    list_filter = ("status", "definition__code")
    search_fields = ("subject_title",)
    inlines = [ApprovalStepInline]


@admin.register(ApprovalEvent)
class ApprovalEventAdmin(ReadOnlyAdmin):
    list_display = ("instance", "seq", "kind", "actor", "on_behalf_of", "at", "ledger_index")
    list_filter = ("kind",)


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("delegator", "delegate", "starts_at", "ends_at", "revoked_at")
