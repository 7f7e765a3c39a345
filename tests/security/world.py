"""The one set of objects the authorization matrix asks about: the demo (organisations, people,
tenders in every state, applications, the tender in evaluation with its opened bids), plus the few
things the demo lacks: a procurement officer of an organisation that has nothing to do with the demo
tenders, a delegation, a consultation, a notice subscription. Built once per test module
(tests/security/test_authorization_matrix.py) with the clock pinned."""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
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
    _award_objects(demo, o)
    _citizen_objects(demo, o)
    return world


def _award_objects(demo, o) -> None:
    """The demo's awarded tender (awards/demo.py: decision announced, contract signed and its notice
    published, bid securities returned) and its challenged tender; here the demo's challenge is
    answered and complained about (the finance department's complaint), and a second challenge waits."""
    from awards.demo import RESULT_TITLE
    from awards.demo_after import CHALLENGED_TITLE
    from awards.models import AwardDecision, CandidateObjection, CandidatePublicity, Challenge, Contract
    from awards.remedy_constants import ChallengeSubject
    from awards.services.challenges import challenge_answer, challenge_file
    from awards.services.complaints import complaint_lodge
    from awards.services.securities import bid_securities_schedule
    from config import clock
    from tenders.models import DocumentHolder, Tender

    awarded = Tender.objects.get(title=RESULT_TITLE)
    o["tender_awarded"] = awarded
    o["award_decision"] = AwardDecision.objects.filter(tender=awarded, status="announced").get()
    o["contract"] = Contract.objects.get(award=o["award_decision"])
    # The demo asked for no bid security; here it did, so the losers' securities are due back.
    awarded.bid_security = Decimal("5000.00")
    awarded.save(update_fields=["bid_security"])
    o["security_release"] = bid_securities_schedule(
        tender=awarded, winner_id=o["award_decision"].supplier_id, award_notice_on=clock.today_local()
    )[0]
    # A competitive consultation publishes no candidates; the matrix pretends this one did (on its
    # first announcement), with supplier B's objection waiting, so the objection endpoints are asked.
    publicity = CandidatePublicity.objects.create(
        tender=awarded,
        announcement=awarded.announcements.order_by("sequence").first(),
        candidates=[],
        starts_on=clock.today_local(),
        ends_on=clock.today_local() + timedelta(days=3),
    )
    o["objection"] = CandidateObjection.objects.create(
        publicity=publicity,
        supplier=demo.orgs["supplier2"].supplier,
        raised_by=demo.users["supplier2"],
        text="第一候选人的业绩证明不实。",
    )
    o["announcement_result"] = awarded.announcements.order_by("-sequence").first()
    challenged = Tender.objects.get(title=CHALLENGED_TITLE)
    o["tender_challenged"] = challenged
    answered = Challenge.objects.get(tender=challenged)  # supplier B's, from the demo
    challenge_answer(
        challenge_id=answered.pk, by=demo.users["officer"], upheld=False, answer="技术参数有多个品牌可满足。"
    )
    o["complaint"] = complaint_lodge(
        challenge_id=answered.pk,
        by=demo.users["supplier2"],
        reasons="答复未说明可满足的品牌，请财政部门审查。",
    )
    DocumentHolder.objects.get_or_create(tender=challenged, user=demo.users["supplier1"])
    o["challenge"] = challenge_file(
        tender_id=challenged.pk,
        by=demo.users["supplier1"],
        subject=ChallengeSubject.DOCUMENTS,
        known_on=clock.today_local(),
        reasons="评分标准第2.1条设置了与项目无关的业绩要求，请予修改。",
    )


def _citizen_objects(demo, o) -> None:
    """citizen1's bad rating of the decided senior allowance (followed up by civil affairs), an
    appointment of citizen1 at the citizens' service centre, and an OCDS bulk file of today."""
    from datetime import time

    from config import clock
    from portal.citizen_models import Grade, Office
    from portal.services.appointments import appointment_book
    from portal.services.ratings import rating_submit
    from reports.models import OcdsRelease
    from reports.ocds.services import ocds_bulk_build
    from workdays.calendar import add_working_days

    o["rating"] = rating_submit(
        user=demo.users["citizen1"],
        application=o["application"],
        grade=Grade.VERY_DISSATISFIED,
        reasons=["slow"],
    )
    o["office"] = Office.objects.get(code="citizen-centre")
    o["appointment"] = appointment_book(
        user=demo.users["citizen1"],
        office=o["office"],
        day=add_working_days(clock.today_local(), 2),
        start=time(9, 0),
    )
    o["bulk_file"] = ocds_bulk_build(day=clock.today_local())[0]
    o["ocid"] = OcdsRelease.objects.order_by("pk").first().ocid


def _oauth_application():
    from oauth2_provider.models import get_application_model

    return get_application_model().objects.order_by("pk").first()
