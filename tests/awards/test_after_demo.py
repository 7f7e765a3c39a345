"""The demo after the award: the announced tender carried to a published contract notice, and a
pending challenge of an open tender's documents with its answer clock; loading twice changes nothing."""

import pytest
import time_machine
from django.test import Client, override_settings

from awards import demo as awards_demo
from awards import demo_after
from awards.models import Challenge, Contract
from awards.remedy_constants import ChallengeStatus, ContractStatus
from evaluation import demo as evaluation_demo
from tenders import demo as tenders_demo
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(EVALUATION_DEMO_TENDER=True)
def test_the_demo_carries_a_contract_to_its_notice_and_keeps_a_challenge_pending(demo):
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        tenders_demo.load(demo)  # the open tender the demo challenge is about
        evaluation_demo.load(demo)
        awards_demo.load(demo)
        awards_demo.load(demo)  # twice changes nothing
    contract = Contract.objects.get()
    assert contract.status == ContractStatus.PUBLISHED and contract.notice is not None
    page = Client().get(contract.tender.get_absolute_url()).content.decode()
    assert contract.notice.payload_sha256 in page
    challenge = Challenge.objects.get()
    assert (
        challenge.status == ChallengeStatus.PENDING and challenge.tender.title == demo_after.CHALLENGED_TITLE
    )
    officer = choose_english(Client())
    officer.force_login(demo.users["officer"])
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        mine = officer.get(f"/awards/tenders/{challenge.tender.reference}/after/").content.decode()
    assert challenge.reference in mine and "days left" in mine
