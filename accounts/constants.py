"""Kinds of organisation and the roles a member can hold in one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    AGENCY = "agency", _("Procurement agency")
    SUPPLIER = "supplier", _("Supplier")
    DEPARTMENT = "department", _("Government department")
    REGULATOR = "regulator", _("Regulator")
    PLATFORM = "platform", _("Platform operator")


class Role(models.TextChoices):
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    APPROVER = "approver", _("Approver")
    SUPERVISOR = "supervisor", _("Supervisor")
    KEY_CUSTODIAN = "key_custodian", _("Key custodian")
    EVALUATION_EXPERT = "evaluation_expert", _("Evaluation expert")
    SUPPLIER_ADMIN = "supplier_admin", _("Supplier administrator")
    SUPPLIER_STAFF = "supplier_staff", _("Supplier staff")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    CITIZEN = "citizen", _("Citizen")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class AccountKind(models.TextChoices):
    """What a self-registered account is for; staff accounts are made by administrators."""

    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise (supplier staff)")
    STAFF = "staff", _("Staff")
