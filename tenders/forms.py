"""The officers' tender editor: the tender's fields, its lots, criteria and custodians."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganisationKind, Role
from accounts.models import Organisation, User
from config.uploads import TENDER_DOCUMENTS, upload_validator
from procurement.models import ProcurementMethod
from tenders import readout
from tenders.models import Tender

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LinesField(forms.CharField):
    """A list of short texts, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class TenderForm(forms.ModelForm):
    """The notice's fields; the read-out items (唱标内容) are picked from the catalogue and defined in
    up to readout.MAX_CUSTOM rows of the tender's own (tenders/readout.py), and leave the form as
    `readout_fields` (SB1 names) and `readout_items` (the tender's own definitions)."""

    required_documents = LinesField(
        label=_("Documents bidders must submit"), required=False, help_text=_("One a line.")
    )

    class Meta:
        model = Tender
        fields = [
            "title",
            "buyer",
            "agency",
            "method",
            "procurement_kind",
            "consultation_case",
            "sole_supplier",
            "sole_supplier_reason",
            "category_code",
            "region",
            "budget",
            "max_price",
            "description",
            "qualification_requirements",
            "evaluation_method",
            "required_documents",
            "bid_security",
            "document_instructions",
            "document_start",
            "document_end",
            "question_deadline",
            "bid_deadline",
            "opening_place",
            "share_window_s",
            "threshold_k",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "qualification_requirements": forms.Textarea(attrs={"rows": 4}),
            "document_instructions": forms.Textarea(attrs={"rows": 2}),
            "document_start": DATETIME,
            "document_end": DATETIME,
            "question_deadline": DATETIME,
            "bid_deadline": DATETIME,
        }

    def __init__(self, *args, officer_orgs: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = Organisation.objects.filter(kind=OrganisationKind.BUYER)
        self.fields["agency"].queryset = Organisation.objects.filter(kind=OrganisationKind.AGENCY)
        self.fields["method"].queryset = ProcurementMethod.objects.filter(is_active=True)
        for name in ("document_start", "document_end", "question_deadline", "bid_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]
        self.officer_orgs = officer_orgs
        if self.instance.pk:
            del self.fields["buyer"]
        self._readout_fields_add()

    # ---------------------------------------------------------------- read-out items

    def _readout_fields_add(self) -> None:
        names = list(self.instance.readout_fields or []) if self.instance.pk else []
        own = dict(self.instance.readout_items or {}) if self.instance.pk else {}
        self.fields["readout_optional"] = forms.MultipleChoiceField(
            label=_("Also read out"),
            required=False,
            choices=[(n, readout.heading(readout.CATALOGUE[n])) for n in readout.OPTIONAL],
            initial=[n for n in names if n in readout.OPTIONAL],
            widget=forms.CheckboxSelectMultiple,
        )
        for position in range(1, readout.MAX_CUSTOM + 1):
            defined = own.get(readout.custom_name(position)) or {}
            prefix = f"readout_item_{position}_"
            self.fields[prefix + "label"] = forms.CharField(
                label=_("Item name"),
                required=False,
                max_length=readout.MAX_LABEL,
                initial=defined.get("label", ""),
            )
            self.fields[prefix + "type"] = forms.ChoiceField(
                label=_("Type"),
                required=False,
                choices=[("", _("Choose a type"))] + list(readout.ReadoutType.choices),
                initial=defined.get("type", ""),
            )
            self.fields[prefix + "unit"] = forms.CharField(
                label=_("Unit"),
                required=False,
                max_length=readout.MAX_UNIT,
                initial=defined.get("unit", ""),
                help_text=_("For example 天, 个月, 台 (leave empty if none)."),
            )
            self.fields[prefix + "choices"] = forms.CharField(
                label=_("Options (for a choice)"),
                required=False,
                max_length=200,
                initial="、".join(defined.get("choices") or []),
                help_text=_("Separated by “、”, e.g. 是、否."),
            )

    @property
    def notice_fields(self):
        return [f for f in self if not f.name.startswith("readout_")]

    @property
    def readout_rows(self):
        """The editor's rows of the tender's own items: (position, [label, type, unit, choices])."""
        return [
            (
                position,
                [self[f"readout_item_{position}_{part}"] for part in ("label", "type", "unit", "choices")],
            )
            for position in range(1, readout.MAX_CUSTOM + 1)
        ]

    def _readout_clean(self, data: dict) -> None:
        names = list(data.pop("readout_optional", []) or [])
        own: dict[str, dict] = {}
        for position in range(1, readout.MAX_CUSTOM + 1):
            prefix = f"readout_item_{position}_"
            label, kind, unit, choices = (
                (data.pop(prefix + part, "") or "").strip() for part in ("label", "type", "unit", "choices")
            )
            if not (label or kind or unit or choices):
                continue
            if not label:
                self.add_error(prefix + "label", _("Give the read-out item a name."))
                continue
            if not kind:
                self.add_error(
                    prefix + "type", _("Choose the type of the read-out item “%(label)s”.") % {"label": label}
                )
                continue
            options = [
                c.strip() for c in choices.replace(",", "、").replace("，", "、").split("、") if c.strip()
            ]
            if kind == readout.ReadoutType.CHOICE and not 2 <= len(options) <= readout.MAX_CHOICES:
                self.add_error(prefix + "choices", _("Give 2 to %(n)d options.") % {"n": readout.MAX_CHOICES})
                continue
            name = readout.custom_name(position)
            own[name] = {
                "label": label,
                "type": kind,
                "unit": unit,
                "choices": options if kind == readout.ReadoutType.CHOICE else [],
            }
            names.append(name)
        data["readout_fields"] = ["price", "currency", *names]
        data["readout_items"] = own

    def clean(self):
        data = super().clean()
        buyer = data.get("buyer") or getattr(self.instance, "buyer", None)
        agency = data.get("agency")
        if (
            buyer
            and buyer.pk not in self.officer_orgs
            and (agency is None or agency.pk not in self.officer_orgs)
        ):
            raise forms.ValidationError(_("You must be a procurement officer of the buyer or of the agency."))
        self._readout_clean(data)
        return data


class LotForm(forms.Form):
    title = forms.CharField(label=_("Lot title"), max_length=200)
    budget = forms.DecimalField(label=_("Lot budget (CNY)"), min_value=0, decimal_places=2, max_digits=16)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight (%)"), min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    is_price = forms.BooleanField(label=_("This is the price criterion"), required=False)


class CustodianForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Key custodian"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__role=Role.KEY_CUSTODIAN, memberships__is_active=True
        ).distinct()


LotFormSet = forms.formset_factory(LotForm, extra=2, can_delete=True)
CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)
CustodianFormSet = forms.formset_factory(CustodianForm, extra=3, can_delete=True)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(label=_("File"), validators=[upload_validator(TENDER_DOCUMENTS)])


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        help_text=_("Published to everyone as a clarification, without the asker's name."),
    )


class AmendmentForm(forms.Form):
    summary = forms.CharField(label=_("What changes"), widget=forms.Textarea(attrs={"rows": 4}))
    bid_deadline = forms.DateTimeField(
        label=_("New bid deadline (optional)"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Within 15 days of the deadline it moves out by itself."),
    )
    document_title = forms.CharField(label=_("Document title"), required=False, max_length=200)
    document = forms.FileField(
        label=_("New document version (optional)"),
        required=False,
        validators=[upload_validator(TENDER_DOCUMENTS)],
    )

    def __init__(self, *args, clarification_min_days: int | None = None, **kwargs) -> None:
        """The hint names the tender's own method's period (15 days for open tendering, 5 for
        consultation...), or says that the deadline never moves by itself (single source...)."""
        super().__init__(*args, **kwargs)
        field = self.fields["bid_deadline"]
        if clarification_min_days:
            field.help_text = _("Within %(days)d days of the deadline it moves out by itself.") % {
                "days": clarification_min_days
            }
        else:
            field.help_text = _(
                "This procurement method sets no clarification period: the deadline moves only if you set it."
            )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancellation"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeDraftForm(forms.Form):
    """The officer's review of a notice the platform drafted (the failure notice)."""

    title = forms.CharField(label=_("Notice title"), max_length=300)
    body = forms.CharField(
        label=_("Text of the notice"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Published as written, frozen and recorded in the ledger; it cannot change afterwards."),
    )
