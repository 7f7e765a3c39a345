"""Forms of the pages for challenges, complaints, contracts and bid-security releases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.remedy_constants import ChallengeSubject, ComplaintOutcome, ComplaintStatus
from config.uploads import TENDER_DOCUMENTS, upload_validator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ChallengeForm(forms.Form):
    subject = forms.ChoiceField(label=_("What do you challenge?"), choices=ChallengeSubject.choices)
    lot = forms.TypedChoiceField(label=_("Lot"), coerce=int, required=False, empty_value=None)
    known_on = forms.DateField(
        label=_("The day you knew of the harm"),
        help_text=_("For example 2026-12-02. The challenge must be filed within 7 working days of it."),
    )
    reasons = forms.CharField(
        label=_("Reasons and what you ask for"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    evidence = EvidenceField(
        label=_("Evidence (optional)"),
        required=False,
        widget=MultipleFileInput(),
        validators=[upload_validator(TENDER_DOCUMENTS)],
    )

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].choices = [("", _("The whole tender"))] + [(lot.pk, lot.title) for lot in lots]  # type: ignore[attr-defined]
        if not lots:
            del self.fields["lot"]


class ChallengeAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("no", _("The challenge is unfounded")), ("yes", _("The challenge is upheld"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Written answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )


class ComplaintForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for the complaint"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )


class ComplaintStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s.value, s.label)
            for s in (ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING, ComplaintStatus.SUSPENDED)
        ],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ComplaintDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ComplaintOutcome.choices, widget=forms.RadioSelect
    )
    decision = forms.CharField(
        label=_("Decision (published)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )


class ContractForm(forms.Form):
    title = forms.CharField(label=_("Contract title"), max_length=300)
    amount = forms.DecimalField(
        label=_("Contract amount (CNY)"), min_value=0, decimal_places=2, max_digits=16
    )
    main_items = forms.CharField(
        label=_("Main items"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    starts_on = forms.DateField(label=_("Performance from"), required=False)
    ends_on = forms.DateField(label=_("Performance until"), required=False)
    performance_security = forms.DecimalField(
        label=_("Performance security (CNY)"), min_value=0, decimal_places=2, max_digits=16, initial="0.00"
    )


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), help_text=_("For example 2026-12-08."))


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), help_text=_("For example 2026-12-08."))
    document = forms.FileField(label=_("The signed contract (PDF)"))
    late_reason = forms.CharField(
        label=_("Why it was signed after the 30 days (only then)"), required=False, max_length=2000
    )


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label=_("Accepted on"))
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed")), ("no", _("Not passed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    report = forms.CharField(
        label=_("Acceptance report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
