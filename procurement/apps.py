from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "procurement"

    def ready(self) -> None:
        # Plans go through the approval engine (flow "procurement-plan").
        from approvals.registry import approval_subjects
        from procurement.models import MethodApproval, ProcurementPlan
        from procurement.plans import PlanApproval
        from procurement.thresholds import MethodApprovalSubject

        approval_subjects.register(ProcurementPlan, PlanApproval())
        # The finance department's approval of a method (flow "procurement-method-approval").
        approval_subjects.register(MethodApproval, MethodApprovalSubject())
