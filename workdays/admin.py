"""The legal calendar in Django admin: read-only, since every change goes through the services
(drafts, confirmation and day changes are ledgered); the pages under /calendar/ do the work."""

from django.contrib import admin

from workdays.models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    can_delete = False
    readonly_fields = ("date", "is_working_day", "note")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "source", "notice_number", "confirmed_at")
    list_filter = ("status", "source")
    inlines = [CalendarDayInline]
    readonly_fields = [f.name for f in CalendarYear._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
