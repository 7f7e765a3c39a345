"""Page forms of the portal (the application form itself is rendered from its JSON Schema)."""

import json
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from portal.constants import EnquiryKind, RefundReason, Widget
from portal.models import Category, Service
from portal.selectors import service_departments


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=EnquiryKind.choices, widget=forms.RadioSelect)
    # Every organisation that runs a service (上海市教育局 is a buyer that also runs school enrolment).
    department = forms.ModelChoiceField(label=_("Department"), queryset=Organisation.objects.none())
    service = forms.ModelChoiceField(
        label=_("Service (optional)"), queryset=Service.objects.filter(is_published=True), required=False
    )
    subject = forms.CharField(label=pgettext_lazy("enquiry", "Subject"), max_length=200)
    body = forms.CharField(
        label=_("Your question, complaint or suggestion"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    name = forms.CharField(label=_("Your name"), max_length=60)
    contact = forms.CharField(label=_("Email or telephone"), max_length=120)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = service_departments()


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=20)
    contact = forms.CharField(
        label=_("The phone number or e-mail address you gave"),
        help_text=_("Not needed when you are signed in with the account you made it from."),
        max_length=120,
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(
        label=_("Publish the question and answer in the public Q&A (without the name)"), required=False
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All news and announcements"),
    )


class RefuseForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons (sent to the applicant in writing)"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RefundForm(forms.Form):
    """Department staff give back (part of) a paid fee. `request_key` is made when the form is shown,
    so a double click or a resent form asks for one refund, not two."""

    order_id = forms.ChoiceField(label=_("Payment to refund"))
    amount = forms.DecimalField(
        label=_("Amount to refund (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}),
    )
    reason = forms.ChoiceField(label=pgettext_lazy("refund", "Reason"), choices=RefundReason.choices)
    note = forms.CharField(
        label=_("Why the fee is refunded (the applicant reads this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, payments: list, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("request_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["order_id"].choices = [
            (
                p.order_id,
                _("%(order)s · ¥%(amount)s (¥%(left)s left to refund)")
                % {"order": p.order_id, "amount": p.amount, "left": left},
            )
            for p, left in payments
        ]


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PreferencesForm(forms.Form):
    elder_mode = forms.BooleanField(
        label=_("Elder-friendly mode (larger text, simpler layout)"), required=False
    )
    high_contrast = forms.BooleanField(label=_("High contrast"), required=False)
    life_stage = forms.ModelChoiceField(
        label=_("What matters to me now"), queryset=Category.objects.all(), required=False
    )


class JSONField(forms.CharField):
    """A JSON value typed as text by department staff; the error says where the syntax breaks."""

    widget = forms.Textarea(attrs={"rows": 8, "class": "govuk-textarea yz-code", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(col)s).") % {"line": exc.lineno, "col": exc.colno}
            ) from exc


class WidgetsForm(forms.Form):
    """The personal home page: which widgets, in which order (a number per widget; blank = hidden)."""

    def __init__(self, *args, current: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for widget in Widget:
            position = current.index(widget.value) + 1 if widget.value in current else None
            self.fields[widget.value] = forms.IntegerField(
                label=widget.label,
                required=False,
                min_value=1,
                max_value=len(Widget),
                initial=position,
                help_text=_("Position on your page; leave empty to hide it."),
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2"}),
            )

    def ordered(self) -> list[str]:
        chosen = [(pos, name) for name, pos in self.cleaned_data.items() if pos]
        return [name for _pos, name in sorted(chosen)]
