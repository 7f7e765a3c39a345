from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from procurement.models import MethodApproval, OpenTenderThreshold, ProcurementMethod, ProcurementPlan
from procurement.statute import statute_for


@admin.register(ProcurementMethod)
class ProcurementMethodAdmin(admin.ModelAdmin):
    """Administrators change the rule sets here; tenders keep the snapshot they were published under.
    Each rule shows its statutory bound and article beside the field; `ProcurementMethod.clean`
    refuses a value past it."""

    list_display = (
        "name",
        "code",
        "documents_to_deadline_days",
        "documents_to_deadline_working_days",
        "clarification_min_days",
        "clarification_min_working_days",
        "min_bids",
        "bid_security_max_percent",
        "is_active",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        for name, statute in statute_for(obj.code).items():
            field = form.base_fields.get(name)
            if field is None or statute.bound is None:
                continue
            article = statute.article.text()
            text = _("Statutory minimum: %(bound)s (%(article)s).") if statute.floor else _(
                "Statutory maximum: %(bound)s (%(article)s)."
            )
            field.help_text = text % {"bound": statute.bound, "article": article}
        return form


@admin.register(ProcurementPlan)
class ProcurementPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "buyer", "year", "method", "budget", "status")
    list_filter = ("status", "year", "method")


@admin.register(OpenTenderThreshold)
class OpenTenderThresholdAdmin(admin.ModelAdmin):
    list_display = ("level", "procurement_kind", "category_prefix", "amount", "valid_from", "valid_until", "source")
    list_filter = ("level",)


@admin.register(MethodApproval)
class MethodApprovalAdmin(admin.ModelAdmin):
    """Read here; decided only through the approval flow."""

    list_display = ("title", "buyer", "from_method", "method", "budget", "status", "created_at")
    list_filter = ("status", "method")
    readonly_fields = [f.name for f in MethodApproval._meta.fields]
