"""Forms of the legal calendar's pages (administrators only)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeImportForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the State Council's notice"),
        help_text=_("Paste the whole notice, from its title to its date, as published."),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=20000,
    )


class YearConfirmForm(forms.Form):
    notice_title = forms.CharField(label=_("Title of the notice"), max_length=200)
    notice_number = forms.CharField(label=_("Number of the notice"), max_length=64)
    notice_date = forms.DateField(
        label=_("Date of the notice"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
