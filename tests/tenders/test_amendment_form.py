"""The amendment form's deadline hint is the tender's own method's clarification period: 15 days for
tendering, 5 for consultation, and for methods without one (single source, negotiation, enquiry) it
says the deadline moves only when the officer sets it."""

import pytest
from django.utils import translation

from procurement.methods import METHOD_DEFAULTS
from procurement.models import MethodCode
from tenders.forms import AmendmentForm


@pytest.mark.parametrize(
    ("method", "hint"),
    [
        (MethodCode.OPEN_TENDER, "距截止时间不足15日时，截止时间自动顺延。"),
        (MethodCode.COMPETITIVE_CONSULTATION, "距截止时间不足5日时，截止时间自动顺延。"),
        (MethodCode.SINGLE_SOURCE, "本采购方式未规定澄清期限：截止时间仅在您设置时变更。"),
    ],
)
def test_the_deadline_hint_follows_the_method(method, hint):
    days = METHOD_DEFAULTS[method].get("clarification_min_days")
    with translation.override("zh-hans"):
        form = AmendmentForm(clarification_min_days=days)
        assert str(form.fields["bid_deadline"].help_text) == hint
        assert hint in form.as_div()


@pytest.mark.django_db
def test_the_amendment_page_of_an_open_tender_names_15_days(demo):
    import time_machine
    from django.test import Client

    from tests.tenders.factories import at, make_tender, publish

    with time_machine.travel(at("2026-11-02", "09:00"), tick=False):
        tender = publish(demo, make_tender(demo, issue=at("2026-11-02", "09:00"), deadline=at("2026-12-01")))
        client = Client()
        client.force_login(demo.users["officer"])
        page = client.get(f"/tenders/{tender.pk}/amend/").content.decode()
    assert "距截止时间不足15日时，截止时间自动顺延。" in page
