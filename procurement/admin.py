from django.contrib import admin

from procurement.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note", "source")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("note", "source")
