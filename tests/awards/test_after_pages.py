"""The page after the award, per role: the losing bidder files a challenge there and sees its
answer clock; the officer sees the same clock with the days left and answers; a bad form changes
nothing and says why; another bidder reads only the answer; the public reads complaint decisions."""

import pytest
import time_machine
from django.test import Client

from awards.models import Challenge
from awards.remedy_constants import ChallengeStatus
from tests.awards.after_factory import announced_award
from tests.awards.factory import at
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = choose_english(Client())
    client.force_login(user)
    return client


def test_each_party_sees_the_answer_clock_and_acts_on_the_page(demo):
    tender, _decision = announced_award(demo)
    url = f"/awards/tenders/{tender.reference}/after/"
    loser, officer, other = (_client(demo.users[u]) for u in ("supplier1", "officer", "supplier2"))
    with time_machine.travel(at("2026-12-03", "10:00"), tick=False):
        page = loser.get(url).content.decode()
        assert "File a challenge" in page
        bad = loser.post(f"{url}challenge/", {"subject": "result", "known_on": "yesterday", "reasons": ""})
        assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
        assert not Challenge.objects.exists()
        filed = loser.post(
            f"{url}challenge/",
            {"subject": "result", "known_on": "2026-12-02", "reasons": "对评分结果有异议，请复核技术分。"},
        )
        assert filed.status_code == 302
        challenge = Challenge.objects.get()
        # 7 working days after Thursday 3 Dec: Monday 14 Dec, 11 days away.
        for client in (loser, officer):
            page = client.get(url).content.decode()
            assert challenge.reference in page and "2026-12-14" in page and "11 days left" in page
        assert "对评分结果有异议" not in other.get(url).content.decode()  # not sent to it yet
        answered = officer.post(
            f"{url}answer/{challenge.pk}/", {"upheld": "no", "answer": "经复核，评分无误，质疑不成立。"}
        )
        assert answered.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.DISMISSED
    with time_machine.travel(at("2026-12-04", "10:00"), tick=False):
        page = other.get(url).content.decode()
        assert "经复核，评分无误" in page and "对评分结果有异议" not in page  # the answer, not the reasons
        assert "Complain to the finance department" in loser.get(url).content.decode()
    public = choose_english(Client()).get("/awards/complaints/")
    assert public.status_code == 200 and "No complaint has been decided yet." in public.content.decode()
