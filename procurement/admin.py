from django.contrib import admin

from procurement.models import ProcurementMethod, ProcurementPlan


@admin.register(ProcurementMethod)
class ProcurementMethodAdmin(admin.ModelAdmin):
    """Administrators change the rule sets here; tenders keep the snapshot they were published under."""

    list_display = (
        "name",
        "code",
        "documents_to_deadline_days",
        "documents_to_deadline_working_days",
        "clarification_min_days",
        "bid_security_max_percent",
        "is_active",
    )


@admin.register(ProcurementPlan)
class ProcurementPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "buyer", "year", "method", "budget", "status")
    list_filter = ("status", "year", "method")
