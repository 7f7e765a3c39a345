"""The approval engine's vocabulary: step modes, handlers, the states of instances, steps and
assignments with their allowed transitions, and the kinds of history event."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepMode(models.TextChoices):
    SINGLE = "single", _("Single approver")  # one person: the named one, or the role's first holder
    COUNTERSIGN = "countersign", _("Countersign (all must approve)")  # everyone assigned approves
    ANY_ONE = "any_one", _("Any one of")  # everyone is asked; the first decision counts


class HandlerKind(models.TextChoices):
    ROLE = "role", _("A role in an organisation")
    PERSON = "person", _("A named person")


class InstanceStatus(models.TextChoices):
    RUNNING = "running", _("In progress")  # waiting for a decision at its current position
    APPROVED = "approved", _("Approved")  # every required step approved; the subject was told
    REJECTED = "rejected", _("Rejected")  # an approver refused; back with the submitter, who may submit again
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the submitter took it back before the end


INSTANCE_TRANSITIONS: dict[str, set[str]] = {
    InstanceStatus.RUNNING: {InstanceStatus.APPROVED, InstanceStatus.REJECTED, InstanceStatus.WITHDRAWN},
    InstanceStatus.APPROVED: set(),
    InstanceStatus.REJECTED: set(),
    InstanceStatus.WITHDRAWN: set(),
}


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Still to come")  # its position has not been reached
    ACTIVE = "active", _("Current")  # assigned; decisions are being collected
    APPROVED = "approved", _("Approved")  # the mode's rule is met
    REJECTED = "rejected", _("Rejected")  # a decision here rejected the whole approval
    SKIPPED = "skipped", _("Not required")  # condition not met, or skipped by an administrator
    CANCELLED = "cancelled", _("Cancelled")  # the approval ended (withdrawn, rejected) before it was reached


STEP_TRANSITIONS: dict[str, set[str]] = {
    StepStatus.WAITING: {StepStatus.ACTIVE, StepStatus.SKIPPED, StepStatus.CANCELLED},
    StepStatus.ACTIVE: {
        StepStatus.APPROVED,
        StepStatus.REJECTED,
        StepStatus.SKIPPED,
        StepStatus.CANCELLED,
        StepStatus.WAITING,  # returned: an earlier step is decided again first
    },
    # A later step may send the approval back here for changes.
    StepStatus.APPROVED: {StepStatus.ACTIVE, StepStatus.WAITING},
    StepStatus.REJECTED: set(),
    StepStatus.SKIPPED: set(),
    StepStatus.CANCELLED: set(),
}


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")
    SUPERSEDED = "superseded", _("No longer needed")  # the step ended another way, or was reassigned


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")
    COMMENTED = "commented", _("Comment")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STEP_STARTED = "step_started", _("Step started")
    STEP_SKIPPED = "step_skipped", _("Step skipped")
    STEP_INSERTED = "step_inserted", _("Step inserted")
    STEP_MOVED = "step_moved", _("Step moved")
    REASSIGNED = "reassigned", _("Reassigned")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated to the supervisor")
    COMPLETED = "completed", _("Approval completed")


class Outcome(models.TextChoices):
    """What the subject's app is told through its adapter's `on_outcome`."""

    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Reminders go out this many working days before a step's due date (and on the due date itself
# when the step started too late for that).
REMINDER_WORKING_DAYS_BEFORE = 1
