from django.contrib import admin

from suppliers.models import Certificate, Debarment, OpeningKeyReplacement, Qualification, Supplier


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["organisation", "size_class", "verification_status", "registered_at"]
    list_filter = ["verification_status", "size_class"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    # Status changes go through services (ledger entries), never through the admin form.
    readonly_fields = [
        "verification_status",
        "verification_reason",
        "verification_decided_at",
        "verification_decided_by",
        "registered_at",
        "updated_at",
    ]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["supplier", "kind", "title", "expires_on"]
    list_filter = ["kind"]


@admin.register(Debarment)
class DebarmentAdmin(admin.ModelAdmin):
    list_display = ["supplier", "starts_at", "ends_at", "legal_basis"]

    def has_change_permission(self, request, obj=None):
        return False  # published facts; made through supplier_debar


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["fingerprint", "holder", "supplier", "purpose", "not_after", "revoked_at"]
    list_filter = ["purpose"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OpeningKeyReplacement)
class OpeningKeyReplacementAdmin(admin.ModelAdmin):
    list_display = ["tender", "index", "custodian", "key_id", "replaced_by_key_id", "replaced_at"]

    # An audit record: made by opening_key_replace, never changed or deleted.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
