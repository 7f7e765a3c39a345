"""Users, organisations and who holds which role where."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constants import AccountKind, OrganisationKind, Role


class User(AbstractUser):
    """A person. Roles come from memberships, never from flags on the user."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    account_kind = models.CharField(
        _("account kind"), max_length=16, choices=AccountKind.choices, default=AccountKind.CITIZEN
    )
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.username


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    # Unified social credit code where the organisation has one (suppliers validate it strictly).
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    region = models.CharField(_("region code"), max_length=12, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="organisation_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user holds a role in an organisation; `supervisor` is whom overdue work escalates to."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class LoginFailure(models.Model):
    """One failed sign-in; recent failures per account, address or known device slow further
    attempts down (accounts/throttling.py)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # The nonce of the known-device cookie the attempt came with ("" from an unknown client).
    device = models.CharField(max_length=32, blank=True, default="", db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.address} {self.at:%Y-%m-%d %H:%M:%S}"


class PasswordResetRequest(models.Model):
    """One password-reset mail asked for; recent ones per entered address and per client address
    limit further mails (accounts/throttling.py), so nobody can flood a mailbox through us."""

    email = models.EmailField(db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.email} @ {self.address} {self.at:%Y-%m-%d %H:%M:%S}"


class AuditEntry(models.Model):
    """One step someone took: every change (a POST, PUT, PATCH or DELETE by a signed-in person),
    every sensitive read (settings.AUDITED_READS), and signing in and out, with the operator and
    the network address (EBM, supervision chapter). Written by accounts/audit.py, never changed;
    supervisors search it at /accounts/audit/."""

    at = models.DateTimeField(db_index=True)
    operator = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    operator_name = models.CharField(max_length=150, blank=True, db_index=True)  # also for failures
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)  # e.g. "POST tenders:publish", "sign_in"
    path = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.operator_name} {self.action}"
