"""The tender state machine, publication through approval, the 15-day amendment rule,
questions and clarifications, cancellation, notifications and Chinese search."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from ledger.models import LedgerEntry
from tenders import services
from tenders.constants import AnnouncementKind, TenderStatus
from tenders.exceptions import DeadlinePassed, TenderNotEditable, TenderTransitionRefused
from tenders.models import Announcement, DocumentVersion
from tenders.selectors import NoticeFilters, notice_list
from tests.tenders.factories import at, make_tender, publish

pytestmark = pytest.mark.django_db

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture
def now():
    with time_machine.travel(ISSUE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def published(demo, now):
    return publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE))


def test_approval_publishes_and_freezes_the_notice_in_the_ledger(demo, now):
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    assert tender.status == TenderStatus.DRAFT
    tender = publish(demo, tender)
    assert tender.status == TenderStatus.PUBLISHED and tender.published_at == ISSUE
    notice = tender.announcements.get()
    assert notice.kind == AnnouncementKind.TENDER_NOTICE
    entry = LedgerEntry.objects.get(index=notice.ledger_index)
    assert entry.kind == "tender/tender_notice"
    assert tender.rule_set["documents_to_deadline_days"] == 20
    assert notice.payload["budget"] == "1000000.00" and len(notice.payload["lots"]) == 2


def test_rejection_returns_the_tender_to_draft(demo, now):
    from approvals.models import ApprovalInstance
    from approvals.services import approval_reject
    from tenders.approval import tender_flow_ensure

    tender_flow_ensure()
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
    with pytest.raises(TenderNotEditable):
        services.tender_update(tender_id=tender.pk, by=demo.users["officer"], title="改")
    instance = ApprovalInstance.objects.get(subject_id=str(tender.pk), subject_type__model="tender")
    approval_reject(instance_id=instance.pk, user=demo.users["director"], reason="预算说明不足")
    tender.refresh_from_db()
    assert tender.status == TenderStatus.DRAFT and tender.return_reason


def test_state_machine_refuses_skipping_states(demo, published, now):
    with pytest.raises(TenderTransitionRefused):
        services.tender_award(tender_id=published.pk, by=None)
    with pytest.raises(Exception, match="投标截止前不能开标"):
        services.tender_opening_start(tender_id=published.pk, by=None)
    now.move_to(DEADLINE)
    assert not published.is_open_for_bids()
    services.tender_opening_start(tender_id=published.pk, by=None)
    services.tender_evaluation_start(tender_id=published.pk, by=None)
    services.tender_award(tender_id=published.pk, by=None)
    published.refresh_from_db()
    assert published.status == TenderStatus.AWARDED
    with pytest.raises(TenderTransitionRefused):
        services.tender_cancel(tender_id=published.pk, by=demo.users["officer"], reason="x")


def test_open_for_bids_is_judged_from_the_clock(demo, published, now):
    now.move_to(DEADLINE - timedelta(seconds=1))
    assert published.is_open_for_bids() and published.public_phase() == "open"
    now.move_to(DEADLINE)
    assert not published.is_open_for_bids() and published.public_phase() == "closed"
    with pytest.raises(DeadlinePassed):
        services.tender_amend(tender_id=published.pk, by=demo.users["officer"], summary="晚了")


def test_amendment_15_days_before_the_deadline_keeps_it(demo, published, now):
    now.move_to(at("2026-11-16", "18:00"))  # 15 days before 1 Dec
    amendment = services.tender_amend(
        tender_id=published.pk, by=demo.users["officer"], summary="更正技术参数"
    )
    published.refresh_from_db()
    assert published.bid_deadline == DEADLINE and not amendment.deadline_moved


def test_amendment_14_days_before_moves_the_deadline_and_notifies_holders(
    demo, published, now, django_capture_on_commit_callbacks, celery_eager
):
    version = DocumentVersion.objects.get(document__tender=published)
    services.document_download(version_id=version.pk, user=demo.users["supplier1"])
    services.document_download(version_id=version.pk, user=demo.users["supplier2"])
    mail.outbox.clear()
    now.move_to(at("2026-11-17", "10:00"))
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.tender_amend(
            tender_id=published.pk,
            by=demo.users["officer"],
            summary="增加第3页技术参数",
            documents=[("招标文件", SimpleUploadedFile("tender-v2.pdf", b"%PDF-1.4 v2"))],
        )
    published.refresh_from_db()
    assert amendment.old_deadline == DEADLINE
    assert amendment.new_deadline == at("2026-12-02", "09:30") == published.bid_deadline
    holders_mail = [m for m in mail.outbox if "2026-12-02 09:30" in m.body]
    assert {m.to[0] for m in holders_mail} == {demo.users["supplier1"].email, demo.users["supplier2"].email}
    assert published.documents.get().current.number == 2


def test_question_answer_becomes_a_clarification_without_the_asker(demo, published, now):
    question = services.question_ask(
        tender_id=published.pk, by=demo.users["supplier1"], text="是否接受进口产品？"
    )
    clarification = services.question_answer(
        question_id=question.pk, by=demo.users["officer"], answer="不接受进口产品。"
    )
    assert clarification.kind == AnnouncementKind.CLARIFICATION
    assert clarification.payload["question"] == "是否接受进口产品？"
    assert "supplier1" not in str(clarification.payload) and "张伟" not in str(clarification.payload)


def test_only_suppliers_ask_questions(demo, published, now):
    with pytest.raises(Exception, match="只有供应商用户"):
        services.question_ask(tender_id=published.pk, by=demo.users["citizen1"], text="?")


def test_cancellation_has_its_own_notice(demo, published, now):
    notice = services.tender_cancel(
        tender_id=published.pk, by=demo.users["officer"], reason="采购需求发生重大变化"
    )
    published.refresh_from_db()
    assert published.status == TenderStatus.CANCELLED and notice.kind == AnnouncementKind.CANCELLATION
    assert LedgerEntry.objects.filter(index=notice.ledger_index, kind="tender/cancellation").exists()


def test_subscribers_are_mailed_matching_category_and_region(
    demo, now, django_capture_on_commit_callbacks, celery_eager
):
    for email, category, region in [("a@example.com", "A02", "31"), ("b@example.com", "C", "")]:
        pending = services.subscription_create(email=email, category_prefix=category, region_prefix=region)
        services.subscription_confirm(token=pending.token)
    services.subscription_create(email="unconfirmed@example.com", category_prefix="A02")
    mail.outbox.clear()
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(demo, tender)
    alerts = [m for m in mail.outbox if tender.title in m.subject]
    assert [m.to for m in alerts] == [["a@example.com"]]


def test_search_finds_a_chinese_phrase_from_the_middle_of_a_title(demo, now):
    wanted = publish(
        demo,
        make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="金山区社区卫生服务中心医用冷柜维保服务项目"),
    )
    publish(
        demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="上海市第一中学智慧教室设备采购项目")
    )
    make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="某草稿医用冷柜项目")  # a draft is never found
    assert list(notice_list(filters=NoticeFilters(q="医用冷柜"))) == [wanted]
    assert list(notice_list(filters=NoticeFilters(q="冷柜维保"))) == [wanted]
    assert list(notice_list(filters=NoticeFilters(q="社区 冷柜"))) == [wanted]  # every term must occur
    # Bigrams alone are not enough: the phrase itself must occur.
    assert list(notice_list(filters=NoticeFilters(q="冷柜医用"))) == []
    assert list(notice_list(filters=NoticeFilters(q="柜"))) == [wanted]
    # Once the token counts are known the search starts from the rarest bigrams: same answers.
    from tenders.search import search_token_counts_refresh

    assert search_token_counts_refresh() > 0
    assert list(notice_list(filters=NoticeFilters(q="医用冷柜"))) == [wanted]
    assert list(notice_list(filters=NoticeFilters(q="冷柜医用"))) == []


def test_filters_and_sort(demo, now):
    a = publish(demo, make_tender(demo, issue=ISSUE, deadline=DEADLINE, title="甲", category_code="Z9901"))
    b = publish(
        demo, make_tender(demo, issue=ISSUE, deadline=at("2026-12-10"), title="乙", category_code="Z9902")
    )
    assert list(notice_list(filters=NoticeFilters(category="Z9902"))) == [b]
    assert list(notice_list(filters=NoticeFilters(category="Z99", sort="deadline"))) == [a, b]
    assert list(
        notice_list(filters=NoticeFilters(category="Z99", deadline_from=at("2026-12-05").date()))
    ) == [b]
    assert list(notice_list(filters=NoticeFilters(category="Z99", method="enquiry"))) == []
    assert list(notice_list(filters=NoticeFilters(category="Z99", method="open_tender"))) == [b, a]
    assert list(notice_list(filters=NoticeFilters(category="Z99", method="no_such_method"))) == []
    assert set(notice_list(filters=NoticeFilters(category="Z99", phase="open"))) == {a, b}
    assert list(notice_list(filters=NoticeFilters(category="Z99", budget_min=2_000_000))) == []
    assert Announcement.objects.filter(tender__in=[a, b]).count() == 2


def test_a_publish_guard_of_another_app_blocks_publication(demo, now, monkeypatch):
    from tenders import hooks
    from tenders.exceptions import RuleViolation, TenderRulesViolated

    monkeypatch.setattr(
        hooks, "publish_guards", [lambda t: [RuleViolation("opening_keys", "custodian 2 has no key")]]
    )
    tender = make_tender(demo, issue=ISSUE, deadline=DEADLINE)
    with pytest.raises(TenderRulesViolated, match="custodian 2 has no key"):
        publish(demo, tender)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.IN_APPROVAL and not tender.announcements.exists()
