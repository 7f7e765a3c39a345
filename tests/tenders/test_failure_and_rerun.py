"""A failed procurement: the platform drafts the failure notice (流标公告), the tender's officer
reviews and publishes it (public page, feed, ledger, mail), and starts the re-run as a new draft."""

import hashlib

import pytest
import time_machine
from django.core import mail
from django.test import Client

from config.exceptions import NotAllowed
from ledger.encoding import b64u_encode, jcs
from ledger.models import LedgerEntry
from tenders import services
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.exceptions import InvalidTenderData, NoticeAlreadyPublished, RerunRefused
from tenders.models import Announcement, DocumentVersion, NoticeDraft, Tender
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")
REASON = "截止时间前仅收到2份投标文件，不足3家，不予开标，本项目流标。"


@pytest.fixture
def now():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def failed(demo, now):
    """A published tender whose opening failed at the deadline with 2 bids."""
    tender = publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE))
    version = DocumentVersion.objects.get(document__tender=tender)
    services.document_download(version_id=version.pk, user=demo.users["supplier1"])
    now.move_to(DEADLINE)
    services.tender_opening_start(tender_id=tender.pk, by=None)
    services.tender_fail(tender_id=tender.pk, by=None, reason=REASON, bids_received=2)
    tender.refresh_from_db()
    return tender


def signed_in(demo, username):
    client = Client()
    client.force_login(demo.users[username])
    return client


def test_failing_drafts_a_notice_in_chinese_that_nobody_outside_sees_yet(demo, failed):
    assert failed.status == TenderStatus.FAILED and failed.cancel_reason == REASON
    draft = NoticeDraft.objects.get(tender=failed)
    assert draft.kind == AnnouncementKind.FAILURE and not draft.is_published
    assert draft.title == f"{failed.title}流标公告"
    for fact in (failed.reference, failed.title, REASON, "2026-12-01 09:30", "上海市教育局", "陈静"):
        assert fact in draft.body
    assert "截止时间前收到投标文件：2 份" in draft.body
    assert "重新组织采购" in draft.body and "财政部门批准" in draft.body
    assert draft.payload["bids_received"] == 2 and draft.payload["reason"] == REASON
    # Drafted, not published: no announcement, nothing in the ledger, nothing on the public page.
    assert not failed.announcements.filter(kind=AnnouncementKind.FAILURE).exists()
    assert not LedgerEntry.objects.filter(kind="tender/failure").exists()
    public = Client().get(f"/notices/{failed.reference}/").content.decode()
    assert REASON in public and draft.body not in public


def test_the_officer_reviews_edits_and_publishes_it(
    demo, failed, django_capture_on_commit_callbacks, celery_eager
):
    watcher = services.subscription_create(email="watcher@example.com", category_prefix="A02")
    services.subscription_confirm(token=watcher.token)
    officer = signed_in(demo, "officer")
    status_page = officer.get(f"/tenders/{failed.pk}/").content.decode()
    assert f"/tenders/{failed.pk}/failure-notice/" in status_page
    draft = NoticeDraft.objects.get(tender=failed)
    page = officer.get(f"/tenders/{failed.pk}/failure-notice/").content.decode()
    assert failed.reference in page and "发布流标公告" in page

    body = draft.body + "\n特此公告。"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            f"/tenders/{failed.pk}/failure-notice/", {"title": draft.title, "body": body, "publish": "1"}
        )
    assert response.status_code == 302
    notice = Announcement.objects.get(tender=failed, kind=AnnouncementKind.FAILURE)
    assert notice.body == body and notice.published_by == demo.users["officer"]
    assert notice.payload["type"] == "yizhan/failure-notice"
    assert notice.payload["bids_received"] == 2 and notice.payload["reason"] == REASON
    # Frozen like every announcement: the ledger holds the hash of its canonical JSON.
    entry = LedgerEntry.objects.get(index=notice.ledger_index)
    assert entry.kind == "tender/failure"
    digest = hashlib.sha256(jcs(notice.payload)).digest()
    assert (
        entry.document["payload"]["sha256"]
        == b64u_encode(digest)
        == b64u_encode(bytes.fromhex(notice.payload_sha256))
    )

    public = Client().get(f"/notices/{failed.reference}/").content.decode()
    assert "流标公告" in public and "特此公告。" in public
    feed = Client().get("/notices/feed/?kind=failure").content.decode()
    assert notice.title in feed
    assert failed.reference in [t.reference for t in _listed(kind="failure")]
    to = {m.to[0] for m in mail.outbox if failed.title in m.subject}
    assert to == {"watcher@example.com", demo.users["supplier1"].email}

    # Published once: a second attempt is refused with the reason, and changes nothing.
    with pytest.raises(NoticeAlreadyPublished, match="已于"):
        services.failure_notice_publish(
            draft_id=draft.pk, by=demo.users["officer"], title="再发", body="再发"
        )
    again = officer.post(
        f"/tenders/{failed.pk}/failure-notice/",
        {"title": "再发", "body": "再发", "publish": "1"},
        follow=True,
    ).content.decode()
    assert "已于" in again and "不能再修改" in again
    assert failed.announcements.filter(kind=AnnouncementKind.FAILURE).count() == 1
    draft.refresh_from_db()
    assert draft.announcement == notice and draft.body == body


def _listed(**filters):
    from tenders.selectors import NoticeFilters, notice_list

    return list(notice_list(filters=NoticeFilters(**filters)))


def test_a_saved_draft_keeps_the_officers_text(demo, failed):
    draft = NoticeDraft.objects.get(tender=failed)
    services.notice_draft_update(draft_id=draft.pk, by=demo.users["buyer"], title="更正后的标题", body="正文")
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.updated_by) == ("更正后的标题", "正文", demo.users["buyer"])
    assert not draft.is_published


def test_only_the_tenders_officers_may_publish_it(demo, failed):
    draft = NoticeDraft.objects.get(tender=failed)
    for outsider in ("supplier1", "director", "custodian1"):
        with pytest.raises(NotAllowed):
            services.failure_notice_publish(
                draft_id=draft.pk, by=demo.users[outsider], title=draft.title, body=draft.body
            )
        page = signed_in(demo, outsider).post(
            f"/tenders/{failed.pk}/failure-notice/", {"title": "x", "body": "x", "publish": "1"}
        )
        assert page.status_code == 404
    assert not failed.announcements.filter(kind=AnnouncementKind.FAILURE).exists()
    draft.refresh_from_db()
    assert not draft.is_published


def test_an_empty_text_is_refused_and_nothing_changes(demo, failed):
    draft = NoticeDraft.objects.get(tender=failed)
    with pytest.raises(InvalidTenderData, match="公告正文"):
        services.failure_notice_publish(
            draft_id=draft.pk, by=demo.users["officer"], title=draft.title, body=" "
        )
    assert not failed.announcements.filter(kind=AnnouncementKind.FAILURE).exists()
    assert not LedgerEntry.objects.filter(kind="tender/failure").exists()


def test_the_rerun_copies_the_tender_without_its_dates(demo, failed):
    officer = demo.users["officer"]
    rerun = services.tender_rerun(tender_id=failed.pk, by=officer)
    assert rerun.status == TenderStatus.DRAFT and rerun.rerun_of == failed
    assert rerun.reference != failed.reference
    for name in services.RERUN_FIELDS:
        assert getattr(rerun, name) == getattr(failed, name), name
    assert rerun.readout_fields == ["price", "currency", "delivery_days"]
    assert (rerun.threshold_k, rerun.share_window_s) == (failed.threshold_k, failed.share_window_s)
    for name in ("document_start", "document_end", "question_deadline", "bid_deadline", "published_at"):
        assert getattr(rerun, name) is None, name
    assert rerun.rule_set == {} and rerun.search_text == ""

    def rows(tender):
        return (
            list(tender.lots.values_list("number", "title", "budget")),
            list(tender.criteria.values_list("position", "name", "weight", "is_price")),
            list(tender.custodians.values_list("index", "user_id")),
            [(d.title, d.current.filename, d.current.sha256) for d in tender.documents.all()],
        )

    assert rows(rerun) == rows(failed) and rows(rerun)[3]
    copy = rerun.documents.get().current
    assert copy.file.name != failed.documents.get().current.file.name  # its own file, under the new tender
    # Its dates are empty, so it cannot be submitted until the officer sets new ones.
    assert {p.field for p in services.tender_problems(tender=rerun)} >= {"bid_deadline"}
    # The failed tender stays as it was, and is re-run once.
    failed.refresh_from_db()
    assert failed.status == TenderStatus.FAILED
    with pytest.raises(RerunRefused, match=rerun.reference):
        services.tender_rerun(tender_id=failed.pk, by=officer)


def test_the_rerun_is_linked_both_ways_and_stays_private_while_a_draft(demo, failed):
    officer = signed_in(demo, "officer")
    response = officer.post(f"/tenders/{failed.pk}/rerun/")
    rerun = Tender.objects.get(rerun_of=failed)
    assert response.status_code == 302 and response["Location"] == f"/tenders/{rerun.pk}/"
    assert failed.reference in officer.get(f"/tenders/{rerun.pk}/").content.decode()
    assert rerun.reference in officer.get(f"/tenders/{failed.pk}/").content.decode()
    # The public sees the failed tender, not the draft that re-runs it.
    assert rerun.reference not in Client().get(f"/notices/{failed.reference}/").content.decode()


def test_only_a_failed_tender_is_rerun_and_only_by_its_officers(demo, now):
    tender = publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE))
    with pytest.raises(RerunRefused, match="只有流标"):
        services.tender_rerun(tender_id=tender.pk, by=demo.users["officer"])
    now.move_to(DEADLINE)
    services.tender_opening_start(tender_id=tender.pk, by=None)
    services.tender_fail(tender_id=tender.pk, by=None, reason=REASON)
    with pytest.raises(NotAllowed):
        services.tender_rerun(tender_id=tender.pk, by=demo.users["supplier1"])
    assert not Tender.objects.filter(rerun_of=tender).exists()
