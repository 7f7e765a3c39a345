"""A draft (or a tender in approval) is never visible to the public or to suppliers, by page or
API; public tenders are, with their documents, announcements and clarifications."""

import pytest
import time_machine
from django.test import Client

from tenders import services
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture
def tenders(demo):
    with time_machine.travel(ISSUE, tick=False):
        draft = make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="草稿中的秘密采购项目")
        in_approval = make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="审批中的采购项目")
        from tenders.approval import tender_flow_ensure

        tender_flow_ensure()
        services.tender_submit(tender_id=in_approval.pk, by=demo.users["officer"])
        public = publish(
            demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="公开的医用空调采购项目")
        )
    return draft, in_approval, public


def client_for(demo, username=None):
    client = Client()
    if username:
        client.force_login(demo.users[username])
    return client


@pytest.mark.parametrize("who", [None, "supplier1", "citizen1"])
def test_public_and_suppliers_never_see_a_draft(demo, tenders, who):
    draft, in_approval, public = tenders
    client = client_for(demo, who)
    with time_machine.travel(ISSUE, tick=False):
        page = client.get("/notices/").content.decode()
        assert public.title in page and draft.title not in page and in_approval.title not in page
        assert draft.title not in client.get("/notices/?q=秘密").content.decode()
        for hidden in (draft, in_approval):
            assert client.get(f"/notices/{hidden.reference}/").status_code == 404
            assert client.get(f"/api/tenders/notices/{hidden.reference}/").status_code == 404
            assert client.get(f"/api/tenders/{hidden.pk}/").status_code in (401, 404)
            assert client.get(f"/tenders/{hidden.pk}/").status_code in (302, 404)
        listed = {
            row["reference"] for row in client.get("/api/tenders/notices/?category=A0201").json()["results"]
        }
        assert public.reference in listed and not listed & {draft.reference, in_approval.reference}
        feed = client.get("/notices/feed/").content.decode()
        assert public.title in feed and draft.title not in feed and in_approval.title not in feed


def test_the_officer_sees_the_draft_in_the_editor(demo, tenders):
    draft, _, _ = tenders
    client = client_for(demo, "officer")
    assert client.get(f"/tenders/{draft.pk}/").status_code == 200
    assert client.get(f"/api/tenders/{draft.pk}/").json()["title"] == draft.title
    # ... but not on the public list either: publication decides that, not who looks.
    assert draft.title not in client.get("/notices/").content.decode()


def test_detail_shows_documents_and_countdown_and_ledger_link(demo, tenders):
    _, _, public = tenders
    with time_machine.travel(ISSUE, tick=False):
        page = Client().get(f"/notices/{public.reference}/").content.decode()
    assert "tender.pdf" in page and 'id="countdown"' in page
    assert f"/api/ledger/entries/{public.announcements.get().ledger_index}/" in page


def test_detail_leads_to_the_opening_room_and_after_the_deadline_to_the_record(demo, tenders):
    _, _, public = tenders
    room, record = f"/opening/{public.reference}/", f"/opening/{public.reference}/record/"
    with time_machine.travel(ISSUE, tick=False):
        page = Client().get(f"/notices/{public.reference}/").content.decode()
    assert room in page and record not in page
    type(public).objects.filter(pk=public.pk).update(status="opening")
    page = Client().get(f"/notices/{public.reference}/").content.decode()
    assert room in page and record in page


def test_download_needs_sign_in_and_makes_a_holder(demo, tenders):
    _, _, public = tenders
    version = public.documents.get().current
    url = f"/notices/{public.reference}/documents/{version.pk}/"
    assert Client().get(url).status_code == 302
    response = client_for(demo, "supplier1").get(url)
    assert (
        response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 tender documents"
    )
    assert public.holders.filter(user=demo.users["supplier1"]).exists()


def test_search_page_finds_a_phrase_from_the_middle_of_a_title(demo, tenders):
    _, _, public = tenders
    with time_machine.travel(ISSUE, tick=False):
        page = Client().get("/notices/", {"q": "医用空调"}).content.decode()
        assert public.title in page
        api = Client().get("/api/tenders/notices/", {"q": "空调采购"}).json()
        assert public.reference in [row["reference"] for row in api["results"]]


def test_api_question_then_answer_as_clarification(demo, tenders):
    _, _, public = tenders
    with time_machine.travel(ISSUE, tick=False):
        supplier = client_for(demo, "supplier1")
        asked = supplier.post(
            f"/api/tenders/notices/{public.reference}/questions/",
            {"text": "交货期可否延长？"},
            content_type="application/json",
        )
        assert asked.status_code == 201
        officer = client_for(demo, "officer")
        inbox = officer.get(f"/api/tenders/{public.pk}/questions/").json()
        answered = officer.post(
            f"/api/tenders/questions/{inbox[0]['id']}/answer/",
            {"answer": "不可延长。"},
            content_type="application/json",
        )
        assert answered.status_code == 201 and answered.json()["kind"] == "clarification"
        other = client_for(demo, "supplier2").get(f"/api/tenders/notices/{public.reference}/").json()
        clarification = [a for a in other["announcements"] if a["kind"] == "clarification"][0]
        assert clarification["payload"]["question"] == "交货期可否延长？"
        assert "supplier1" not in str(other) and demo.users["supplier1"].full_name not in str(other)


def test_api_submit_refusal_names_the_rule(demo):
    with time_machine.travel(ISSUE, tick=False):
        tender = make_tender(demo, issue=ISSUE, deadline=at("2026-11-21"))
        response = client_for(demo, "officer").post(f"/api/tenders/{tender.pk}/submit/")
    assert response.status_code == 400
    assert (
        response.json()["code"] == "rules_violated" and "招标投标法第二十四条" in response.json()["message"]
    )
