"""Administrators may tighten a rule but never set it past the statute (RULES.md). Before: the admin
accepted an open tender with 3 days from the documents to the deadline."""

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from procurement.methods import procurement_methods_ensure

pytestmark = pytest.mark.django_db


def refused_fields(method, **values):
    for name, value in values.items():
        setattr(method, name, value)
    try:
        method.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_open_tender_20_days_accepted_19_refused_citing_the_article(db):
    method = procurement_methods_ensure()["open_tender"]
    assert refused_fields(method, documents_to_deadline_days=20) == {}
    assert refused_fields(method, documents_to_deadline_days=25) == {}  # tightening is fine
    with translation.override("zh-hans"):
        refused = refused_fields(method, documents_to_deadline_days=19)
    assert list(refused) == ["documents_to_deadline_days"]
    assert "20" in refused["documents_to_deadline_days"][0]
    assert "招标投标法第二十四条" in refused["documents_to_deadline_days"][0]


def test_a_statutory_period_cannot_be_switched_off(db):
    method = procurement_methods_ensure()["competitive_negotiation"]
    with translation.override("en"):
        refused = refused_fields(method, clarification_min_working_days=None)
    assert "MOF74 Art 10" in refused["clarification_min_working_days"][0]


def test_ceilings_bid_security_and_answer_limit(db):
    method = procurement_methods_ensure()["enquiry"]
    assert refused_fields(method, bid_security_max_percent="2.00", enquiry_answer_working_days=3) == {}
    refused = refused_fields(method, bid_security_max_percent="2.01", enquiry_answer_working_days=4)
    assert set(refused) == {"bid_security_max_percent", "enquiry_answer_working_days"}


def test_single_source_may_need_one_bid_open_tender_three(db):
    methods = procurement_methods_ensure()
    assert refused_fields(methods["single_source"], min_bids=1) == {}
    assert set(refused_fields(methods["open_tender"], min_bids=2)) == {"min_bids"}


def test_the_admin_shows_the_floor_and_refuses_below_it(client, demo):
    method = procurement_methods_ensure()["open_tender"]
    client.force_login(demo.users["admin"])
    url = reverse("admin:procurement_procurementmethod_change", args=[method.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "法定最低标准：20（招标投标法第二十四条、政府采购法第三十五条）" in page
    data = {k: ("" if v is None else v) for k, v in model_to_dict(method).items()}
    data["documents_to_deadline_days"] = 3
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "不得低于法定最低标准20" in response.content.decode()
    method.refresh_from_db()
    assert method.documents_to_deadline_days == 20
