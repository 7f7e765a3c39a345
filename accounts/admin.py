from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import ThrottledAdminAuthenticationForm
from accounts.models import Membership, Organisation, User

# The admin's sign-in is throttled like the site's (accounts/throttling.py).
admin.site.login_form = ThrottledAdminAuthenticationForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Yizhan", {"fields": ("full_name", "phone", "account_kind")}),
    )
    list_display = ("username", "full_name", "email", "account_kind", "is_active")
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "region")
    list_filter = ("kind",)
    search_fields = ("name", "credit_code")
    inlines = [MembershipInline]
