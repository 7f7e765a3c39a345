"""Demo suppliers: the three enterprises accounts/demo.py makes, with profiles, verified, and their
licences (one category licence expiring soon, so the reminder and the marker show). Idempotent."""

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.demo import Demo
from config import clock
from suppliers import services
from suppliers.approvals import supplier_verification_decide
from suppliers.constants import QualificationKind, SizeClass, VerificationStatus
from suppliers.models import Qualification

PROFILES: dict[str, dict[str, Any]] = {
    "supplier1": dict(
        legal_representative="张伟",
        address="上海市浦东新区张江路88号",
        size_class=SizeClass.MEDIUM,
        categories=["信息技术服务", "计算机设备"],
        contact_phone="13800000001",
        licence=("信息系统集成资质证书", "信息系统集成", 400),
    ),
    "supplier2": dict(
        legal_representative="李娜",
        address="北京市海淀区中关村大街27号",
        size_class=SizeClass.SMALL,
        categories=["办公设备", "教学设备"],
        contact_phone="13800000002",
        licence=("教学设备生产许可证", "教学设备", 20),
    ),  # expires within the warning window
    "supplier3": dict(
        legal_representative="王强",
        address="深圳市南山区科技园南区",
        size_class=SizeClass.MICRO,
        categories=["智能系统", "安防设备"],
        contact_phone="13800000003",
        licence=("安全技术防范系统设计施工资质", "安防工程", 600),
    ),
}


def _document(title: str, number: str) -> ContentFile:
    # A small stand-in scan (the demo has no real licences); its SHA-256 is computed like any upload.
    return ContentFile(f"%PDF-1.4\n% Yizhan demo document\n{title} {number}\n".encode(), name=f"{number}.pdf")


@transaction.atomic
def load(demo: Demo) -> None:
    officer = demo.users["officer"]
    today = clock.today_local()
    for key, profile in PROFILES.items():
        organisation, admin = demo.orgs[key], demo.users[key]
        licence_title: str = profile["licence"][0]
        category: str = profile["licence"][1]
        days: int = profile["licence"][2]
        supplier = services.supplier_profile_from_organisation(
            organisation=organisation,
            by=admin,
            legal_representative=profile["legal_representative"],
            address=profile["address"],
            size_class=profile["size_class"],
            categories=profile["categories"],
            contact_name=admin.full_name,
            contact_phone=profile["contact_phone"],
            contact_email=admin.email,
        )
        if supplier.verification_status == VerificationStatus.PENDING:
            supplier_verification_decide(supplier=supplier, by=officer, approve=True)
        if not Qualification.objects.filter(supplier=supplier).exists():
            services.qualification_add(
                supplier=supplier,
                by=admin,
                kind=QualificationKind.BUSINESS_LICENCE,
                title="营业执照",
                number=organisation.credit_code,
                expires_on=None,
                file=_document("营业执照", organisation.credit_code),
            )
            services.qualification_add(
                supplier=supplier,
                by=admin,
                kind=QualificationKind.CATEGORY_LICENCE,
                title=licence_title,
                number=f"{key.upper()}-2024-001",
                category=category,
                expires_on=today + dt.timedelta(days=days),
                file=_document(licence_title, f"{key.upper()}-2024-001"),
            )
