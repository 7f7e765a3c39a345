"""Forms of the award pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.constants import AwardReason

ITEM_ROWS = 3


class DecisionForm(forms.Form):
    opening = forms.TypedChoiceField(label=_("Winning candidate"), coerce=int)
    reason = forms.ChoiceField(
        label=_("Reason (when not the first candidate)"),
        choices=AwardReason.choices,
        initial=AwardReason.FIRST_CANDIDATE,
    )
    reason_detail = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening"].choices = [  # type: ignore[attr-defined]
            (c["opening"], f"{c['rank']}. {c['supplier']} (CNY {c['price']}, {c['total']})")
            for c in candidates
        ]


class AnnounceForm(forms.Form):
    agency_fee = forms.DecimalField(
        label=_("Agency fee (CNY)"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ITEM_ROWS):
            self.fields[f"item{i}_name"] = forms.CharField(
                label=_("Item name"), required=i == 0, max_length=200
            )
            self.fields[f"item{i}_specification"] = forms.CharField(
                label=_("Specification"), required=False, max_length=200
            )
            self.fields[f"item{i}_quantity"] = forms.CharField(
                label=_("Quantity"), required=False, max_length=50
            )
            self.fields[f"item{i}_unit_price"] = forms.DecimalField(
                label=_("Unit price (CNY)"), required=False, min_value=0, decimal_places=2
            )
            self.fields[f"item{i}_service"] = forms.CharField(
                label=_("Service requirements"), required=False, max_length=300
            )

    def items(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        rows = []
        for i in range(ITEM_ROWS):
            if data.get(f"item{i}_name"):
                rows.append(
                    {
                        key: str(data.get(f"item{i}_{key}") or "")
                        for key in ("name", "specification", "quantity", "unit_price", "service")
                    }
                )
        return rows

    def item_rows(self):
        return [
            [self[f"item{i}_{key}"] for key in ("name", "specification", "quantity", "unit_price", "service")]
            for i in range(ITEM_ROWS)
        ]


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Objection and its reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
