"""The API after the award: a bidder files a challenge, the officer answers, another bidder reads
the answer but not the challenger's reasons; the officer records, signs and publishes the contract;
bad input is refused with a message and changes nothing; the public reads complaint decisions."""

import pytest
import time_machine
from django.test import Client

from awards.models import Challenge, Contract
from tests.awards.after_factory import PDF, announced_award
from tests.awards.factory import at
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = choose_english(Client())
    client.force_login(user)
    return client


def test_challenge_answer_and_contract_through_the_api(demo):
    tender, decision = announced_award(demo)
    loser, officer, other = (_client(demo.users[u]) for u in ("supplier1", "officer", "supplier2"))
    base = "/api/awards"
    with time_machine.travel(at("2026-12-03", "10:00"), tick=False):
        refused = loser.post(
            f"{base}/tenders/{tender.reference}/challenges/",
            {"subject": "result", "known_on": "2026-11-01", "reasons": "迟到的质疑"},
        )
        assert refused.status_code == 409 and "2026-11-10" in refused.json()["message"]
        filed = loser.post(
            f"{base}/tenders/{tender.reference}/challenges/",
            {"subject": "result", "known_on": "2026-12-02", "reasons": "价格分计算有误。"},
        )
        assert filed.status_code == 201 and filed.json()["answer_due_on"] == "2026-12-14"
        challenge_id = filed.json()["id"]
        view = other.get(f"{base}/tenders/{tender.reference}/after/").json()
        assert view["challenges"] == []
        assert (
            officer.post(
                f"{base}/challenges/{challenge_id}/answer/",
                {"upheld": False, "answer": ""},
                content_type="application/json",
            ).status_code
            == 400
        )
        answered = officer.post(
            f"{base}/challenges/{challenge_id}/answer/",
            {"upheld": False, "answer": "价格分计算无误。"},
            content_type="application/json",
        )
        assert answered.status_code == 200 and answered.json()["status"] == "dismissed"
        view = other.get(f"{base}/tenders/{tender.reference}/after/").json()
        assert (
            view["challenges"][0]["answer"] == "价格分计算无误。" and "reasons" not in view["challenges"][0]
        )
        mine = loser.get(f"{base}/tenders/{tender.reference}/after/").json()
        assert mine["challenges"][0]["reasons"] == "价格分计算有误。"
        assert any(row["key"].startswith("complaint-filing-") for row in mine["deadlines"])

        made = officer.post(
            f"{base}/decisions/{decision.pk}/contract/",
            {"title": "设备采购合同", "amount": "495000.00"},
            content_type="application/json",
        )
        assert made.status_code == 201 and made.json()["sign_due_on"] == "2027-01-04"
        contract_id = made.json()["id"]
        from django.core.files.uploadedfile import SimpleUploadedFile

        not_pdf = officer.post(
            f"{base}/contracts/{contract_id}/sign/",
            {
                "signed_on": "2026-12-03",
                "document": SimpleUploadedFile("c.pdf", b"hello", content_type="application/pdf"),
            },
        )
        assert not_pdf.status_code == 400 and Contract.objects.get().signed_on is None
        signed = officer.post(
            f"{base}/contracts/{contract_id}/sign/",
            {
                "signed_on": "2026-12-03",
                "document": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert signed.status_code == 200 and signed.json()["notice_due_on"] == "2026-12-07"
        assert loser.post(f"{base}/contracts/{contract_id}/notice/").status_code == 403
        published = officer.post(f"{base}/contracts/{contract_id}/notice/")
        assert published.status_code == 201 and published.json()["notice"]["ledger_index"] is not None
    assert Challenge.objects.get().answer_sent_to
    assert Client().get(f"{base}/complaints/").json() == []
