"""Forms of the statistics dashboards: the period and the organisation."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.statistics import StatisticsFilters

MONTH_FORMATS = ["%Y-%m"]


class StatisticsFilterForm(forms.Form):
    month_from = forms.DateField(
        label=_("From month"),
        required=False,
        input_formats=MONTH_FORMATS,
        help_text=_("For example 2026-01"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    month_to = forms.DateField(
        label=_("To month"),
        required=False,
        input_formats=MONTH_FORMATS,
        help_text=_("For example 2026-12"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, organisations=(), all_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [("", all_label or _("All organisations"))] + [
            (o.pk, o.name) for o in organisations
        ]

    def clean(self):
        data = super().clean() or {}
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first month must not be after the last month."))
        if first and last and (last.year * 12 + last.month) - (first.year * 12 + first.month) >= 120:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return data

    def filters(self, *, scope: tuple[int, ...] | None = None) -> StatisticsFilters:
        """The chosen period and organisation; `scope` limits the organisations (an officer's own)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        first: date | None = data.get("month_from")
        last: date | None = data.get("month_to")
        organisation = data.get("organisation")
        buyers = (organisation,) if organisation else scope
        return StatisticsFilters(
            month_from=first.replace(day=1) if first else None,
            month_to=last.replace(day=1) if last else None,
            buyer_ids=buyers,
        )
