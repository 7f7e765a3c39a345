"""The guide editor's forms: the guide's text (Chinese and English), and real forms (formsets) for
the procedure steps, fees, FAQ and materials. The application form's JSON Schema and UI hints are
behind the "advanced" switch, parsed and validated only when it is on."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.constants import RULE_REFUND_REASONS
from portal.forms import JSONField
from portal.models import Service, ServiceMaterial

TEXTAREA = {"rows": 3, "class": "govuk-textarea"}


class GuideForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "name_en",
            "summary",
            "summary_en",
            "keywords",
            "legal_basis",
            "legal_basis_en",
            "conditions",
            "conditions_en",
            "quantity_limit",
            "legal_time_limit",
            "promised_time_limit",
            "handling_mode",
            "location",
            "location_en",
            "office_hours",
            "office_hours_en",
            "contact_phone",
            "supervision_phone",
            "result_name",
            "result_name_en",
            "licence_kind",
            "is_published",
        ]
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA)
            for name in (
                "summary",
                "summary_en",
                "legal_basis",
                "legal_basis_en",
                "conditions",
                "conditions_en",
            )
        }

    def clean(self):
        data = super().clean()
        legal, promised = data.get("legal_time_limit"), data.get("promised_time_limit")
        if legal is not None and promised is not None and promised > legal:
            self.add_error("promised_time_limit", _("The promised time limit cannot exceed the legal one."))
        return data


class StepForm(forms.Form):
    step = forms.CharField(label=_("Step"), max_length=300)
    step_en = forms.CharField(label=_("Step in English"), max_length=400, required=False)


class FeeForm(forms.Form):
    item = forms.CharField(label=_("Fee item"), max_length=200)
    item_en = forms.CharField(label=_("Fee item in English"), max_length=240, required=False)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    basis = forms.CharField(label=_("Basis for charging"), max_length=400, required=False)
    refund_when = forms.MultipleChoiceField(
        label=_("Refunded by itself when the application is"),
        choices=[(r.value, r.label) for r in RULE_REFUND_REASONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class FaqForm(forms.Form):
    q = forms.CharField(label=_("Question"), max_length=300)
    a = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs=TEXTAREA))
    q_en = forms.CharField(label=_("Question in English"), max_length=400, required=False)
    a_en = forms.CharField(
        label=_("Answer in English"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )


class MaterialForm(forms.ModelForm):
    class Meta:
        model = ServiceMaterial
        fields = [
            "key",
            "name",
            "name_en",
            "required",
            "form",
            "form_en",
            "copies",
            "source",
            "source_en",
            "licence_kind",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"})}


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)
FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)
FaqFormSet = forms.formset_factory(FaqForm, extra=1, can_delete=True)


class BaseMaterialFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        keys = [
            f.cleaned_data.get("key")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("key")
        ]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Two materials have the same key; each needs its own."))


MaterialFormSet = forms.modelformset_factory(
    ServiceMaterial, form=MaterialForm, formset=BaseMaterialFormSet, extra=1, can_delete=True
)


class AdvancedForm(forms.Form):
    """The application form's definition as JSON: only read when `advanced` is ticked."""

    advanced = forms.BooleanField(
        label=_("Change the application form definition (JSON, advanced)"), required=False
    )
    form_schema = JSONField(label=_("Application form (JSON Schema)"), required=False)
    form_ui = JSONField(label=_("Form UI hints (JSON)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("advanced"):
            if not isinstance(data.get("form_schema"), dict) or not data.get("form_schema"):
                self.add_error("form_schema", _("The application form must be a JSON object."))
            if data.get("form_ui") in (None, [], ""):
                data["form_ui"] = {}
            elif not isinstance(data.get("form_ui"), dict):
                self.add_error("form_ui", _("The form UI hints must be a JSON object."))
        return data


def _live(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def steps_from(formset) -> tuple[list[str], list[str]]:
    rows = _live(formset)
    steps = [r["step"].strip() for r in rows]
    english = [r.get("step_en", "").strip() for r in rows]
    return steps, (english if all(english) else [])


def fees_from(formset) -> list[dict]:
    fees = []
    for r in _live(formset):
        item = {
            "item": r["item"].strip(),
            "amount": f"{r['amount']:.2f}",
            "basis": r.get("basis", "").strip(),
        }
        if r.get("item_en"):
            item["item_en"] = r["item_en"].strip()
        if r.get("refund_when"):
            item["refund_when"] = list(r["refund_when"])
        fees.append(item)
    return fees


def faq_from(formset) -> list[dict]:
    out = []
    for r in _live(formset):
        item = {"q": r["q"].strip(), "a": r["a"].strip()}
        if r.get("q_en") and r.get("a_en"):
            item.update(q_en=r["q_en"].strip(), a_en=r["a_en"].strip())
        out.append(item)
    return out


def initial_steps(service: Service) -> list[dict]:
    english = service.steps_en if len(service.steps_en or []) == len(service.steps) else []
    return [{"step": s, "step_en": english[n] if english else ""} for n, s in enumerate(service.steps)]


def initial_fees(service: Service) -> list[dict]:
    return [
        {
            "item": f.get("item", ""),
            "item_en": f.get("item_en", ""),
            "amount": f.get("amount"),
            "basis": f.get("basis", ""),
            "refund_when": f.get("refund_when", []),
        }
        for f in service.fee_items
    ]


def initial_faq(service: Service) -> list[dict]:
    return [{k: f.get(k, "") for k in ("q", "a", "q_en", "a_en")} for f in service.faq]
