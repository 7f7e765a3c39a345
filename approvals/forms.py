"""Forms of the approval pages: decisions, returns, comments, withdrawal, delegation, rerouting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from approvals.exceptions import NoSuchDelegate
from approvals.selectors import delegate_by_username


class DecisionForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject or return it."),
    )


class ReturnForm(forms.Form):
    step_id = forms.IntegerField(widget=forms.HiddenInput)
    to_step = forms.TypedChoiceField(label=_("Return to"), coerce=int)
    reason = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        to_step: forms.ChoiceField = self.fields["to_step"]  # type: ignore[assignment]
        to_step.choices = [(step.pk, f"{step.position}. {step.name}") for step in targets]


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DelegationForm(forms.Form):
    delegate = forms.CharField(label=_("Username of the person who decides for you"), max_length=150)
    starts_at = forms.DateTimeField(
        label=_("From"), help_text=_("For example 2026-10-08 09:00 (Beijing time).")
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), help_text=_("For example 2026-10-15 18:00 (Beijing time).")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args, delegator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegator = delegator

    def clean_delegate(self) -> User:
        user = delegate_by_username(delegator=self.delegator, username=self.cleaned_data["delegate"])
        if user is None:
            raise forms.ValidationError(NoSuchDelegate().message)
        return user


class RerouteForm(forms.Form):
    """An administrator's change to a running approval (skip, move or reassign a step)."""

    ACTIONS = [
        ("skip", _("Skip the step")),
        ("move", _("Move the step")),
        ("reassign", _("Reassign a decision")),
    ]
    operation = forms.ChoiceField(label=_("Change"), choices=ACTIONS, widget=forms.RadioSelect)
    step = forms.TypedChoiceField(label=_("Step"), coerce=int)
    to_position = forms.IntegerField(label=_("New position (move)"), required=False, min_value=1)
    from_username = forms.CharField(label=_("From (reassign): username"), required=False)
    to_username = forms.CharField(label=_("To (reassign): username"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        step_field: forms.ChoiceField = self.fields["step"]  # type: ignore[assignment]
        step_field.choices = [(step.pk, f"{step.position}. {step.name}") for step in steps]
