from django import forms
from django.utils.translation import gettext_lazy as _

from config.uploads import SCANS, upload_validator
from suppliers.constants import QualificationKind, SizeClass
from suppliers.credit_code import InvalidCreditCode, credit_code_validate


class SupplierProfileForm(forms.Form):
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100)
    address = forms.CharField(label=_("Registered address"), max_length=300)
    size_class = forms.ChoiceField(
        label=_("Size class"),
        choices=SizeClass.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "As classified under the SME rules; small and micro enterprises receive price deductions."
        ),
    )
    categories = forms.CharField(
        label=_("Categories supplied"),
        max_length=500,
        required=False,
        help_text=_("Separate categories with commas."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contact_email = forms.EmailField(label=_("Contact email"))

    def clean_categories(self) -> list[str]:
        raw = self.cleaned_data["categories"].replace("，", ",").replace("、", ",")
        return [c.strip() for c in raw.split(",") if c.strip()]


class SupplierRegisterForm(SupplierProfileForm):
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, as on the business licence."),
    )
    field_order = ["name", "credit_code"]

    def clean_credit_code(self) -> str:
        try:
            return credit_code_validate(self.cleaned_data["credit_code"].strip().upper())
        except InvalidCreditCode as exc:
            raise forms.ValidationError(str(exc)) from None


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    number = forms.CharField(label=_("Licence number"), max_length=100, required=False)
    category = forms.CharField(label=_("Category (for a category licence)"), max_length=100, required=False)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Leave empty for a licence without an end date. Format: 2027-06-30."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(label=_("Scanned document (PDF or image)"), validators=[upload_validator(SCANS)])


class StaffAddForm(forms.Form):
    username = forms.CharField(label=_("Username of the account to add"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        choices=[("supplier_staff", _("Supplier staff")), ("supplier_admin", _("Supplier administrator"))],
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DebarForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("For example: Government Procurement Law, Article 77."),
    )
