"""Tables of the citizen services around an application: service evaluations (好差评) and their
follow-up, tracking look-ups without signing in (for throttling), offices and appointments (预约),
and the log of notifications sent. Imported by `portal.models`, so they belong to the portal app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Grade(models.IntegerChoices):
    """The five grades of the national evaluation system (国办发〔2019〕51号)."""

    VERY_SATISFIED = 5, _("Very satisfied")  # 非常满意
    SATISFIED = 4, _("Satisfied")  # 满意
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")  # 基本满意
    DISSATISFIED = 2, _("Dissatisfied")  # 不满意
    VERY_DISSATISFIED = 1, _("Very dissatisfied")  # 非常不满意


BAD_GRADES = (Grade.DISSATISFIED, Grade.VERY_DISSATISFIED)  # a "差评": reasons required, followed up


class BadRatingReason(models.TextChoices):
    """Why a rating is bad: the reasons the national system lets an applicant tick."""

    ATTITUDE = "attitude", _("Staff attitude")  # 服务态度差
    SLOW = "slow", _("Took too long")  # 办理时间长
    REPEATED_VISITS = "visits", _("Had to come back or upload again")  # 多次跑动、重复提交
    UNCLEAR_GUIDE = "guide", _("The guide was unclear or incomplete")  # 办事指南不清楚
    EXTRA_MATERIALS = "materials", _("Asked for materials not in the guide")  # 要求额外材料
    SYSTEM = "system", _("The website did not work well")  # 系统不好用
    OTHER = "other", pgettext_lazy("bad rating reason", "Other")  # 其他


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("No follow-up needed")
    OPEN = "open", _("Follow-up by the department")
    ANSWERED = "answered", _("Followed up")


class ServiceRating(models.Model):
    """The applicant's evaluation of one finished application (one per application)."""

    application = models.OneToOneField("portal.Application", on_delete=models.CASCADE, related_name="rating")
    service = models.ForeignKey("portal.Service", on_delete=models.PROTECT, related_name="ratings")
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("rating"), choices=Grade.choices)
    reasons = models.JSONField(default=list, blank=True)  # BadRatingReason values
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField()
    follow_up_status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_flow_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    follow_up_answer = models.TextField(_("the department's answer"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-rated_at"]
        indexes = [models.Index(fields=["service", "grade"]), models.Index(fields=["department", "grade"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.grade}"

    @property
    def is_bad(self) -> bool:
        return self.grade in BAD_GRADES

    def reason_labels(self) -> list[str]:
        labels = dict(BadRatingReason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]


class TrackingFailure(models.Model):
    """A failed look-up of an application without signing in; recent ones slow the next attempt.
    `reference_key` is a keyed hash of the reference typed, never the reference itself."""

    reference_key = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.reference_key[:8]}… from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class Office(models.Model):
    """A service hall or registry office where citizens come by appointment."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="offices")
    address = models.CharField(_("address"), max_length=200)
    # {"1": [["09:00", "12:00"], ["13:30", "17:00"]], ...}: ISO weekday → opening periods. Days
    # missing are closed; a legal holiday closes every office (workdays.calendar).
    opening_hours = models.JSONField(_("opening hours"), default=dict)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per appointment"), default=30)
    capacity = models.PositiveSmallIntegerField(_("appointments per slot"), default=2)
    services = models.ManyToManyField("portal.Service", blank=True, related_name="offices")
    booking_days_ahead = models.PositiveSmallIntegerField(default=20)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", pgettext_lazy("appointment", "Cancelled")


class Appointment(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments")
    service = models.ForeignKey(
        "portal.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    number = models.CharField(_("appointment number"), max_length=24, unique=True)
    date = models.DateField(_("date"))
    start = models.TimeField(_("time"))
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start"]
        indexes = [models.Index(fields=["office", "date", "start", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.office_id} {self.date} {self.start}"


class NotificationChannel(models.TextChoices):
    MAIL = "mail", _("E-mail")
    SMS = "sms", _("Text message")


class Notification(models.Model):
    """One notification sent (or handed to the SMS provider), so staff can tell what a citizen was told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=NotificationChannel.choices)
    topic = models.CharField(max_length=40)  # e.g. "application:accepted", "enquiry:answered"
    subject_ref = models.CharField(max_length=40)  # application reference, enquiry number, appointment number
    provider = models.CharField(max_length=32, blank=True)
    provider_reference = models.CharField(max_length=80, blank=True)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # One notification per channel and step: a retried task sends nothing twice.
            models.UniqueConstraint(fields=["channel", "topic", "subject_ref"], name="notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.topic} {self.subject_ref}"
