"""Read-only admin: the ledger is append-only, so nobody edits it here (not even superusers)."""

from django.contrib import admin

from ledger.models import LedgerEntry, PlatformKey, TreeHead


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("index", "kind", "created")
    list_filter = ("kind",)
    search_fields = ("kind",)


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnlyAdmin):
    list_display = ("size", "created")


@admin.register(PlatformKey)
class PlatformKeyAdmin(ReadOnlyAdmin):
    list_display = ("key_id", "created", "retired")
