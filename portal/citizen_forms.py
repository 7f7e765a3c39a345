"""Forms of the citizen services: rating, follow-up answer, tracking, appointments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.citizen_models import BadRatingReason, Grade


class RatingForm(forms.Form):
    grade = forms.TypedChoiceField(
        label=_("How satisfied are you with how this application was handled?"),
        choices=Grade.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("If you are dissatisfied: why?"),
        help_text=_("Required for dissatisfied or very dissatisfied; the department follows it up."),
        choices=BadRatingReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell the department (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class FollowUpForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the applicant: what you found and what the department changed"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Application number"), max_length=24, help_text=_("For example SQ20261208123456")
    )
    identity = forms.CharField(
        label=_("The applicant's ID number or mobile phone"),
        help_text=_("As given in the application."),
        max_length=24,
    )


class BookingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Time"))
