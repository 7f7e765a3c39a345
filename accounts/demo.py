"""Demo organisations and people. Every app may have a `demo.py` with `load(demo)`; `load_demo`
calls them in INSTALLED_APPS order, so later apps build on these. Loading twice changes nothing."""

from base64 import b32encode
from dataclasses import dataclass, field

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import AccountKind, OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.second_factor import second_factor_required
from accounts.services import membership_grant

DEMO_PASSWORD = "yizhan-demo-2026"  # noqa: S105 - the published demo password
# The published authenticator key of every demo user whose role needs a second factor (hex, as
# django-otp stores it; load_demo prints it in base32 for an authenticator app, and
# `manage.py demo_totp` prints the current code).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass
class Demo:
    """What the demo loaders share: organisations and users by key, and the logins to print."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    second_factor_users: list[str] = field(default_factory=list)
    # Lines `load_demo` prints after the logins (e.g. a provisional calendar year).
    notes: list[str] = field(default_factory=list)

    def user(
        self,
        username: str,
        full_name: str,
        description: str,
        *,
        kind: str = AccountKind.STAFF,
        superuser: bool = False,
    ) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "account_kind": kind,
                "email": f"{username}@demo.yizhan.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = superuser
            user.save()
        self.users[username] = user
        self.logins.append((username, description))
        return user

    def org(
        self, key: str, name: str, kind: str, *, credit_code: str = "", region: str = "310000"
    ) -> Organisation:
        org, _created = Organisation.objects.get_or_create(
            name=name, kind=kind, defaults={"credit_code": credit_code, "region": region}
        )
        self.orgs[key] = org
        return org


SUPPLIERS = [
    ("supplier1", "上海华东信息技术有限公司", "91310000MA1FL1AB15", "张伟"),
    ("supplier2", "北京中科办公设备有限公司", "91110108MA01XYK129", "李娜"),
    ("supplier3", "深圳南方智能系统有限公司", "91440300MA5DC3QW8J", "王强"),
]


@transaction.atomic
def load(demo: Demo) -> None:
    buyer = demo.org("buyer", "上海市教育局", OrganisationKind.BUYER, credit_code="11310000002419760H")
    agency = demo.org(
        "agency", "上海市政府采购中心", OrganisationKind.AGENCY, credit_code="12310000425007581U"
    )
    regulator = demo.org("regulator", "上海市财政局", OrganisationKind.REGULATOR)
    platform = demo.org("platform", "一站平台运营中心", OrganisationKind.PLATFORM)
    civil = demo.org("civil_affairs", "上海市民政局", OrganisationKind.DEPARTMENT)
    market = demo.org("market", "上海市市场监督管理局", OrganisationKind.DEPARTMENT)

    membership_grant(
        user=demo.user("admin", "平台管理员", "platform administrator (Django admin)", superuser=True),
        organisation=platform,
        role=Role.PLATFORM_ADMIN,
    )
    officer = demo.user("officer", "陈静", "procurement officer, 上海市政府采购中心")
    membership_grant(user=officer, organisation=agency, role=Role.PROCUREMENT_OFFICER)
    buyer_officer = demo.user("buyer", "刘洋", "procurement officer, 上海市教育局 (buyer)")
    membership_grant(user=buyer_officer, organisation=buyer, role=Role.PROCUREMENT_OFFICER)
    director = demo.user("director", "赵敏", "approver (director), 上海市教育局")
    membership_grant(user=director, organisation=buyer, role=Role.APPROVER)
    approver = demo.user("approver", "孙磊", "approver, 上海市政府采购中心")
    membership_grant(user=approver, organisation=agency, role=Role.APPROVER)
    supervisor = demo.user("supervisor", "周红", "supervisor, 上海市财政局")
    membership_grant(user=supervisor, organisation=regulator, role=Role.SUPERVISOR)
    membership_grant(user=supervisor, organisation=regulator, role=Role.APPROVER)

    for i, name in enumerate(["吴刚", "郑丽", "冯涛"], start=1):
        custodian = demo.user(f"custodian{i}", name, f"key custodian {i}, 上海市财政局")
        membership_grant(user=custodian, organisation=regulator, role=Role.KEY_CUSTODIAN)
    for i, name in enumerate(["钱文", "蒋华", "沈冰", "韩雪", "杨帆", "朱琳", "秦岭"], start=1):
        expert = demo.user(f"expert{i}", name, f"evaluation expert {i} (expert pool)")
        membership_grant(user=expert, organisation=regulator, role=Role.EVALUATION_EXPERT)

    for key, name, code, person in SUPPLIERS:
        org = demo.org(key, name, OrganisationKind.SUPPLIER, credit_code=code)
        admin = demo.user(key, person, f"supplier administrator, {name}", kind=AccountKind.ENTERPRISE)
        membership_grant(user=admin, organisation=org, role=Role.SUPPLIER_ADMIN)

    for key, org, name in [("civil", civil, "何芳"), ("market", market, "林峰")]:
        staff = demo.user(f"{key}_staff", name, f"department staff, {org.name}")
        membership_grant(user=staff, organisation=org, role=Role.DEPARTMENT_STAFF)
        membership_grant(user=staff, organisation=org, role=Role.APPROVER)
    demo.user("citizen1", "王小明", "citizen", kind=AccountKind.CITIZEN)
    demo.user("citizen2", "李小红", "citizen", kind=AccountKind.CITIZEN)


def demo_second_factors(demo: Demo) -> list[str]:
    """Give every demo user whose role needs a second factor the published demo authenticator, so
    the demo stays usable (`make run`); returns their usernames. Run after every app's `load`."""
    enrolled = []
    for username, user in demo.users.items():
        if second_factor_required(user=user):
            TOTPDevice.objects.get_or_create(
                user=user, name="demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )
            enrolled.append(username)
    return enrolled


def demo_totp_secret() -> str:
    """The demo key in base32, as authenticator apps take it."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
