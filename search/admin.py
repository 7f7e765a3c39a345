from django.contrib import admin

from search.models import SearchCount, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scope", "note"]
    list_filter = ["scope"]
    search_fields = ["words", "note"]


@admin.register(SearchCount)
class SearchCountAdmin(admin.ModelAdmin):
    list_display = ["query", "scope", "count", "last_searched_at", "hidden"]
    list_filter = ["scope", "hidden"]
    list_editable = ["hidden"]
    search_fields = ["query"]
    readonly_fields = ["scope", "query", "count", "last_searched_at"]

    def has_add_permission(self, request) -> bool:
        return False
