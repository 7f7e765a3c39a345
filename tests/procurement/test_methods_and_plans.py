from decimal import Decimal

import pytest

from procurement.methods import procurement_methods_ensure
from procurement.models import PlanStatus, ProcurementMethod, ProcurementPlan
from procurement.plans import plan_create, plan_submit

pytestmark = pytest.mark.django_db


def test_methods_carry_the_rules_md_defaults_as_data(db):
    methods = procurement_methods_ensure()
    open_tender = methods["open_tender"].rule_set()
    assert open_tender["documents_to_deadline_days"] == 20
    assert open_tender["document_period_working_days"] == 5
    assert open_tender["notice_period_working_days"] == 5
    assert open_tender["clarification_min_days"] == 15
    assert open_tender["bid_security_max_percent"] == "2.00"
    assert open_tender["price_weight_min_goods_percent"] == "30.00"
    assert open_tender["price_weight_min_services_percent"] == "10.00"
    assert methods["competitive_negotiation"].rule_set()["documents_to_deadline_working_days"] == 3
    assert methods["enquiry"].rule_set()["documents_to_deadline_working_days"] == 3
    consultation = methods["competitive_consultation"].rule_set()
    assert (
        consultation["documents_to_deadline_days"],
        consultation["document_period_working_days"],
        consultation["clarification_min_days"],
    ) == (10, 5, 5)
    # An administrator's change is kept: ensuring the methods again does not reset it.
    ProcurementMethod.objects.filter(code="open_tender").update(documents_to_deadline_days=30)
    assert procurement_methods_ensure()["open_tender"].documents_to_deadline_days == 30


def test_plan_is_approved_through_the_approval_flow(demo):
    from approvals.models import ApprovalInstance
    from approvals.services import approval_approve

    plan = plan_create(
        by=demo.users["buyer"],
        buyer=demo.orgs["buyer"],
        year=2027,
        title="2027年度计划",
        method=procurement_methods_ensure()["enquiry"],
        budget=Decimal("500000.00"),
    )
    plan_submit(plan_id=plan.pk, by=demo.users["buyer"])
    instance = ApprovalInstance.objects.get(subject_type__model="procurementplan", subject_id=str(plan.pk))
    # Under CNY 4,000,000 the buyer's director is not asked: the agency approver, then the regulator.
    approval_approve(instance_id=instance.pk, user=demo.users["approver"])
    assert ProcurementPlan.objects.get(pk=plan.pk).status == PlanStatus.IN_APPROVAL
    approval_approve(instance_id=instance.pk, user=demo.users["supervisor"])
    assert ProcurementPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_only_the_buyers_officer_drafts_plans(demo):
    from config.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        plan_create(
            by=demo.users["supplier1"],
            buyer=demo.orgs["buyer"],
            year=2027,
            title="x",
            method=procurement_methods_ensure()["enquiry"],
            budget=Decimal("1.00"),
        )


def test_api_methods_are_public_and_plans_are_drafted_and_submitted(demo):
    from django.test import Client

    methods = Client().get("/api/procurement/methods/").json()
    assert {m["code"]: m["rule_set"]["documents_to_deadline_days"] for m in methods}["open_tender"] == 20
    client = Client()
    client.force_login(demo.users["buyer"])
    created = client.post(
        "/api/procurement/plans/",
        {
            "buyer": demo.orgs["buyer"].pk,
            "year": 2027,
            "title": "2027年度办公设备采购计划",
            "method": "enquiry",
            "budget": "300000.00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    submitted = client.post(f"/api/procurement/plans/{created.json()['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_approval"
