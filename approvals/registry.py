"""How any model becomes the subject of an approval, without `approvals` importing its app.

A subject app subclasses `ApprovalSubject` for its model and registers it in its AppConfig.ready():

    approval_subjects.register(Plan, PlanApproval())

The engine then asks the adapter for the subject's data (conditions are judged on it), a hash
of its state (recorded with every event), a title, URL and summary (shown on the approval
page), who may submit and see it, and tells it the outcome through `on_outcome`, inside the
transaction that decided it."""

import hashlib
from typing import Any

import rfc8785
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from approvals.constants import Outcome
from approvals.exceptions import SubjectNotRegistered


class ApprovalSubject:
    """The adapter a subject app writes for one of its models. Override what differs."""

    def subject_data(self, obj: Any) -> dict[str, Any]:
        """JSON-safe facts conditions may test, e.g. {"budget": "4500000.00", "buyer_id": 3}.
        Money as strings of Decimal: conditions compare them exactly."""
        return {}

    def state_hash(self, obj: Any) -> str:
        """SHA-256 over the canonical JSON (RFC 8785) of what the approvers approve; the default
        hashes `subject_data`. Override when the approved content is more than that data."""
        return hashlib.sha256(rfc8785.dumps(self.subject_data(obj))).hexdigest()

    def title(self, obj: Any) -> str:
        return str(obj)

    def url(self, obj: Any) -> str:
        """Where the subject itself can be read ("" when it has no page)."""
        return ""

    def summary(self, obj: Any) -> str:
        return ""

    def can_submit(self, user: Any, obj: Any) -> bool:
        """Whether `user` may put `obj` into approval (its app's rule)."""
        return False

    def can_view(self, user: Any, obj: Any) -> bool:
        """Who, besides the submitter and the people asked to decide, may follow the approval."""
        return False

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        """Told when the approval ends (inside its transaction: raising here undoes the decision)."""


class SubjectRegistry:
    def __init__(self) -> None:
        self._adapters: dict[str, ApprovalSubject] = {}

    @staticmethod
    def _label(model: type[Model]) -> str:
        return model._meta.label_lower

    def register(self, model: type[Model], adapter: ApprovalSubject) -> ApprovalSubject | None:
        """Register `adapter` for `model`; returns the adapter it replaces, if any."""
        previous = self._adapters.get(self._label(model))
        self._adapters[self._label(model)] = adapter
        return previous

    def unregister(self, model: type[Model]) -> None:
        self._adapters.pop(self._label(model), None)

    def is_registered(self, model: type[Model]) -> bool:
        return self._label(model) in self._adapters

    def adapter_for(self, model: type[Model]) -> ApprovalSubject:
        try:
            return self._adapters[self._label(model)]
        except KeyError:
            raise SubjectNotRegistered(
                _("%(model)s cannot go through an approval: its app has not registered it.")
                % {"model": model._meta.verbose_name}
            ) from None

    def adapter_for_type(self, content_type: ContentType) -> ApprovalSubject:
        model = content_type.model_class()
        if model is None:
            raise SubjectNotRegistered(_("The subject's kind no longer exists."))
        return self.adapter_for(model)


approval_subjects = SubjectRegistry()
