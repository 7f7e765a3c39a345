"""The one set of objects the authorization matrix asks about: the demo (organisations, people,
tenders in every state, applications, the tender in evaluation with its opened bids), plus the few
things the demo lacks: a procurement officer of an organisation that has nothing to do with the demo
tenders, a delegation, a consultation, a notice subscription. Built once per test module
(tests/security/test_authorization_matrix.py) with the clock pinned."""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.test import override_settings

# The roles of the matrix, in the order the failure messages list them. Each is a demo user (or
# nobody); ROLE_USERS says which, and why that one stands for the role.
ROLES = (
    "anonymous",
    "citizen",  # citizen1: owns the demo applications
    "citizen_other",  # citizen2: a stranger to citizen1's applications
    "supplier_a",  # supplier1's administrator: bid in the tender in evaluation
    "supplier_b",  # supplier2's administrator: bid too, must not see supplier A's bid
    "officer",  # procurement officer of the agency that runs every demo tender
    "buyer_officer",  # procurement officer of the buyer (上海市教育局)
    "officer_other",  # procurement officer of an unrelated agency (made here)
    "approver",  # director: the buyer's approver, decides the tender waiting in approval
    "supervisor",  # the regulator's supervisor (and approver of the regulator)
    "custodian",  # custodian1: key custodian of every demo tender
    "expert_on",  # an expert on the committee of the tender in evaluation
    "expert_off",  # an expert of the pool who is not on it
    "department_staff",  # civil affairs staff: decides citizen1's senior allowance application
    "department_other",  # market regulation staff: no part in citizen1's applications
    "admin",  # platform administrator (superuser)
)

ROLE_USERS = {
    "citizen": "citizen1",
    "citizen_other": "citizen2",
    "supplier_a": "supplier1",
    "supplier_b": "supplier2",
    "officer": "officer",
    "buyer_officer": "buyer",
    "officer_other": "officer_other",
    "approver": "director",
    "supervisor": "supervisor",
    "custodian": "custodian1",
    "department_staff": "civil_staff",
    "department_other": "market_staff",
    "admin": "admin",
}

PINNED_NOW = "2026-10-08 10:00 +0800"


def quick_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template is rendered (its errors show), the PDF made from an ASCII digest of it: the
    matrix asks who may fetch a document, not how it looks (tests/evaluation/conftest.py does the same)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=f"<p>{template_name} {hashlib.sha256(html.encode()).hexdigest()}</p>").write_pdf()


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)  # role -> User (no entry for anonymous)
    objects: dict[str, Any] = field(default_factory=dict)  # name -> object or value for URL arguments


def world_build() -> World:
    """Load the demo (with its tender in evaluation) and add what the matrix needs beside it."""
    from accounts.constants import OrganisationKind, Role
    from accounts.demo import Demo
    from accounts.management.commands.load_demo import demo_build
    from accounts.models import Organisation, User
    from accounts.services import membership_grant
    from approvals.models import ApprovalInstance, FlowDefinition
    from approvals.services import delegation_create
    from bidding.models import BidOpening, BidVersion
    from config import clock
    from evaluation.demo import DEMO_TITLE
    from evaluation.models import CommitteeMember, Draw, ExpertProfile
    from portal import services as portal_services
    from portal.models import Application, Article, Payment, Service
    from procurement.models import ProcurementPlan
    from reports.models import SignedDocument
    from suppliers.models import Certificate, Qualification
    from tenders import services as tender_services
    from tenders.constants import TenderStatus
    from tenders.models import DocumentVersion, Question, Tender
    from workdays.models import CalendarYear

    with override_settings(EVALUATION_DEMO_TENDER=True):
        demo: Demo = demo_build()

    other = Organisation.objects.create(name="苏州市政府采购中心", kind=OrganisationKind.AGENCY)
    officer_other = User.objects.create_user(
        username="officer_other", password="x", full_name="周平", email="officer_other@example.test"
    )
    membership_grant(user=officer_other, organisation=other, role=Role.PROCUREMENT_OFFICER)
    demo.users["officer_other"] = officer_other

    world = World()
    for role, username in ROLE_USERS.items():
        world.users[role] = demo.users[username]

    evaluated = Tender.objects.get(title=DEMO_TITLE)
    members = CommitteeMember.objects.filter(tender=evaluated).exclude(expert=None)
    on = members.filter(state="confirmed").select_related("user").first()
    world.users["expert_on"] = on.user
    world.users["expert_off"] = (
        ExpertProfile.objects.exclude(user__in=[m.user_id for m in members])
        .select_related("user")
        .first()
        .user
    )
    invited = members.filter(state="invited").first()

    o = world.objects
    published = Tender.objects.filter(status=TenderStatus.PUBLISHED, method__code="open_tender").order_by(
        "pk"
    )[0]
    o["tender_published"] = published
    o["tender_draft"] = Tender.objects.get(status=TenderStatus.DRAFT)
    o["tender_evaluated"] = evaluated
    o["document_version"] = DocumentVersion.objects.filter(document__tender=published).first()
    o["question"] = Question.objects.first()
    o["approval"] = ApprovalInstance.objects.filter(status="running", subject_type__model="tender").first()
    o["flow_definition"] = FlowDefinition.objects.order_by("pk").first()
    o["delegation"] = delegation_create(
        delegator=demo.users["director"],
        delegate=demo.users["approver"],
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=7),
        reason="出差",
    )
    o["opening"] = BidOpening.objects.filter(
        room__tender=evaluated, supplier__organisation=demo.orgs["supplier1"]
    ).get()
    o["bid_a"] = BidVersion.objects.get(tender=evaluated, supplier__organisation=demo.orgs["supplier1"])
    o["draw"] = Draw.objects.filter(tender=evaluated).order_by("sequence").first()
    o["member_invited"] = invited
    o["application"] = Application.objects.get(
        applicant=demo.users["citizen1"], service__code="senior-allowance"
    )
    o["attachment"] = o["application"].attachments.first()
    o["payment"] = Payment.objects.filter(application__applicant=demo.users["citizen1"]).first()
    o["plan"] = ProcurementPlan.objects.order_by("pk").first()
    o["service"] = Service.objects.get(code="senior-allowance")
    o["article"] = Article.objects.order_by("pk").first()
    o["enquiry"] = portal_services.enquiry_submit(
        kind="consultation",
        department=demo.orgs["civil_affairs"],
        subject="高龄津贴",
        body="请问高龄津贴每月何时发放？",
        name="王小明",
        contact="13800138000",
        service=o["service"],
        user=demo.users["citizen1"],
    )
    o["portal_subscription"] = portal_services.subscription_create(
        email="reader@example.test", topic=None, kind="news"
    )
    o["notice_subscription"] = tender_services.subscription_create(email="reader@example.test")
    o["qualification"] = Qualification.objects.filter(supplier__organisation=demo.orgs["supplier1"]).first()
    o["membership_supplier_a"] = demo.users["supplier1"].memberships.first()
    o["certificate"] = Certificate.objects.order_by("pk").first()
    o["supplier_a"] = demo.orgs["supplier1"].supplier
    o["signed_document"] = SignedDocument.objects.order_by("pk").first()
    o["calendar_year"] = CalendarYear.objects.order_by("year").first()
    o["ledger_index"] = 0
    o["oauth_application"] = _oauth_application()
    o["unknown_token"] = uuid.uuid4()
    return world


def _oauth_application():
    from oauth2_provider.models import get_application_model

    return get_application_model().objects.order_by("pk").first()
