"""Forms of the public notice pages: search and filters, a question, a subscription."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procurement.models import MethodCode
from tenders.constants import AnnouncementKind, PublicPhase
from tenders.selectors import NoticeFilters

SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("deadline", _("Deadline soonest")),
    ("budget_desc", _("Largest budget")),
    ("budget_asc", _("Smallest budget")),
]


class NoticeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search notices"),
        required=False,
        max_length=100,
        help_text=_("Words or a phrase from the title, the buyer or the requirements."),
    )
    method = forms.ChoiceField(
        label=_("Procurement method"), required=False, choices=[("", _("Any"))] + list(MethodCode.choices)
    )
    phase = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + list(PublicPhase.choices)
    )
    kind = forms.ChoiceField(
        label=_("Announcement type"),
        required=False,
        choices=[("", _("Any"))] + list(AnnouncementKind.choices),
    )
    region = forms.CharField(label=_("Region code"), required=False, max_length=12)
    category = forms.CharField(label=_("Category code"), required=False, max_length=32)
    budget_min = forms.DecimalField(
        label=_("Budget from (CNY)"), required=False, min_value=0, decimal_places=2
    )
    budget_max = forms.DecimalField(label=_("Budget to (CNY)"), required=False, min_value=0, decimal_places=2)
    published_from = forms.DateField(
        label=_("Published from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    published_to = forms.DateField(
        label=_("Published until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_from = forms.DateField(
        label=_("Deadline from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = forms.DateField(
        label=_("Deadline until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def filters(self) -> NoticeFilters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return NoticeFilters(**data)


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Other suppliers will see the question and its answer, never who asked."),
    )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    category_prefix = forms.CharField(
        label=_("Category code"),
        required=False,
        max_length=32,
        help_text=_("For example A02 for all computer equipment; empty for every category."),
    )
    region_prefix = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=12,
        help_text=_("For example 31 for Shanghai; empty for every region."),
    )
