"""The supervisor keeps the pool here too; draws, members and the committee's records are read only
(they change only through the services, which write the ledger)."""

from django.contrib import admin

from evaluation.models import (
    BidRead,
    CommitteeMember,
    ComplianceFinding,
    Dissent,
    Draw,
    EvaluationSettings,
    ExpertProfile,
    Flag,
    Relationship,
    Score,
)


class RelationshipInline(admin.TabularInline):
    model = Relationship
    extra = 0
    autocomplete_fields = ["supplier"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["public_id", "user", "region", "available"]
    list_filter = ["available", "region"]
    search_fields = ["public_id", "user__username", "user__full_name"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    autocomplete_fields = ["user", "employer"]
    inlines = [RelationshipInline]


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["tender", "sme_deduction", "reserved_for_sme", "buyer_representatives"]
    raw_id_fields = ["tender"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Draw, CommitteeMember, BidRead, ComplianceFinding, Dissent, Score, Flag):
    admin.site.register(model, ReadOnlyAdmin)
