from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "suppliers"

    def ready(self) -> None:
        from approvals.registry import approval_subjects
        from suppliers.approvals import SupplierVerification
        from suppliers.models import Supplier

        approval_subjects.register(Supplier, SupplierVerification())
