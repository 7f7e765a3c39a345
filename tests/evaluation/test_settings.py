"""Evaluation settings are fixed with the tender documents: a draft's officers set them, within the
rules; bad input changes nothing."""

from decimal import Decimal as D

import pytest
import time_machine

from config.exceptions import NotAllowed
from evaluation.exceptions import EvaluationError
from evaluation.models import EvaluationSettings
from evaluation.selectors import committee_shape
from evaluation.services import evaluation_settings_save
from tests.bidding.submission_factory import DEADLINE, ISSUE
from tests.tenders.factories import make_tender

pytestmark = pytest.mark.django_db


def test_a_draft_takes_lawful_settings_and_refuses_the_rest(demo):
    with time_machine.travel(ISSUE, tick=False):
        tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE, lots=0)
        officer = demo.users["officer"]
        assert committee_shape(tender).size == 5  # budget 1,000,000
        with pytest.raises(NotAllowed):
            evaluation_settings_save(tender_id=tender.pk, by=demo.users["expert1"], sme_deduction="10")
        for bad in (
            {"sme_deduction": "5"},  # below 10%
            {"sme_deduction": "25"},
            {"sme_deduction": "10", "reserved_for_sme": True},
            {"sme_deduction": "abc"},
            {"buyer_representatives": 2},  # a committee of 5 has at most 1
        ):
            with pytest.raises(EvaluationError):
                evaluation_settings_save(tender_id=tender.pk, by=officer, **bad)
        assert not EvaluationSettings.objects.exists()
        saved = evaluation_settings_save(
            tender_id=tender.pk, by=officer, sme_deduction="10", complex_project=True, buyer_representatives=2
        )
        assert saved.sme_deduction == D("10.00")
        shape = committee_shape(tender)
        assert (shape.size, shape.experts, shape.buyer_representatives) == (7, 5, 2)
        # Once the tender left the draft, the settings are fixed.
        type(tender).objects.filter(pk=tender.pk).update(status="published")
        with pytest.raises(EvaluationError, match="only a draft"):
            evaluation_settings_save(tender_id=tender.pk, by=officer, sme_deduction="20")
        assert EvaluationSettings.objects.get().sme_deduction == D("10.00")
