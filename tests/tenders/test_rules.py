"""RULES.md "Publication and documents": each rule accepted exactly at its limit and refused one
day inside it, periods in working days across National Day 2026 (1–7 Oct holiday, Saturday
10 Oct a make-up working day)."""

import pytest
import time_machine

from tenders.exceptions import TenderRulesViolated
from tenders.services import tender_problems, tender_submit
from tests.tenders.factories import at, make_tender

pytestmark = pytest.mark.django_db


def rules_broken(tender):
    return {v.rule for v in tender_problems(tender=tender)}


ISSUE = at("2026-09-30", "09:00")  # a Wednesday, the last working day before National Day


class TestPeriods:
    @pytest.fixture(autouse=True)
    def _now(self):
        with time_machine.travel(ISSUE, tick=False):
            yield

    def test_open_tender_20_days_accepted_at_the_limit(self, demo):
        tender = make_tender(demo, issue=ISSUE, deadline=at("2026-10-20"), document_end=at("2026-10-13"))
        assert rules_broken(tender) == set()

    def test_open_tender_refused_one_day_inside(self, demo):
        tender = make_tender(demo, issue=ISSUE, deadline=at("2026-10-19"), document_end=at("2026-10-13"))
        with pytest.raises(TenderRulesViolated) as refused:
            tender_submit(tender_id=tender.pk, by=demo.users["officer"])
        assert refused.value.rules == ["documents_to_deadline_days"]
        assert "招标投标法第二十四条" in refused.value.message and "2026-10-20" in refused.value.message

    def test_documents_available_5_working_days_across_the_holiday(self, demo):
        # Working days after 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13 Oct.
        ok = make_tender(demo, issue=ISSUE, deadline=at("2026-10-20"), document_end=at("2026-10-13"))
        assert rules_broken(ok) == set()
        short = make_tender(demo, issue=ISSUE, deadline=at("2026-10-20"), document_end=at("2026-10-12"))
        assert rules_broken(short) == {"document_period_working_days"}

    def test_negotiation_3_working_days_counts_the_make_up_saturday(self, demo):
        ok = make_tender(
            demo,
            method="competitive_negotiation",
            issue=ISSUE,
            deadline=at("2026-10-10", "10:00"),
            document_end=at("2026-10-09"),
        )
        assert rules_broken(ok) == set()
        early = make_tender(
            demo,
            method="competitive_negotiation",
            issue=ISSUE,
            deadline=at("2026-10-09", "17:00"),
            document_end=at("2026-10-09"),
        )
        assert rules_broken(early) == {"documents_to_deadline_working_days"}

    def test_enquiry_3_working_days_skips_the_holiday(self, demo):
        early = make_tender(
            demo,
            method="enquiry",
            issue=ISSUE,
            deadline=at("2026-10-08", "17:00"),
            document_end=at("2026-10-08"),
        )
        with pytest.raises(TenderRulesViolated) as refused:
            tender_submit(tender_id=early.pk, by=demo.users["officer"])
        assert "财政部74号令" in refused.value.message and "2026-10-10" in refused.value.message


NOV = at("2026-11-02", "09:00")  # an ordinary Monday


class TestConsultation:
    @pytest.fixture(autouse=True)
    def _now(self):
        with time_machine.travel(NOV, tick=False):
            yield

    def test_10_days_accepted_at_the_limit(self, demo):
        ok = make_tender(
            demo,
            method="competitive_consultation",
            issue=NOV,
            deadline=at("2026-11-12"),
            document_end=at("2026-11-09"),
        )
        assert rules_broken(ok) == set()

    def test_refused_one_day_inside(self, demo):
        early = make_tender(
            demo,
            method="competitive_consultation",
            issue=NOV,
            deadline=at("2026-11-11"),
            document_end=at("2026-11-09"),
        )
        assert rules_broken(early) == {"documents_to_deadline_days"}

    def test_documents_available_5_working_days(self, demo):
        short = make_tender(
            demo,
            method="competitive_consultation",
            issue=NOV,
            deadline=at("2026-11-12"),
            document_end=at("2026-11-06"),
        )
        assert rules_broken(short) == {"document_period_working_days"}


class TestOtherRules:
    @pytest.fixture(autouse=True)
    def _now(self):
        with time_machine.travel(NOV, tick=False):
            yield

    DEADLINE = at("2026-11-23")

    def test_bid_security_at_most_2_percent(self, demo):
        assert (
            rules_broken(make_tender(demo, issue=NOV, deadline=self.DEADLINE, bid_security="20000.00"))
            == set()
        )
        over = make_tender(demo, issue=NOV, deadline=self.DEADLINE, bid_security="20000.01")
        assert rules_broken(over) == {"bid_security_max_percent"}

    def test_price_weight_goods_30_services_10(self, demo):
        assert rules_broken(make_tender(demo, issue=NOV, deadline=self.DEADLINE, price_weight="30")) == set()
        assert rules_broken(make_tender(demo, issue=NOV, deadline=self.DEADLINE, price_weight="29")) == {
            "price_weight_min"
        }
        assert (
            rules_broken(
                make_tender(demo, issue=NOV, deadline=self.DEADLINE, kind="services", price_weight="10")
            )
            == set()
        )
        assert rules_broken(
            make_tender(demo, issue=NOV, deadline=self.DEADLINE, kind="services", price_weight="9")
        ) == {"price_weight_min"}

    def test_fewer_custodians_than_k(self, demo):
        assert (
            rules_broken(make_tender(demo, issue=NOV, deadline=self.DEADLINE, custodians=3, threshold=3))
            == set()
        )
        tender = make_tender(demo, issue=NOV, deadline=self.DEADLINE, custodians=2, threshold=3)
        with pytest.raises(TenderRulesViolated) as refused:
            tender_submit(tender_id=tender.pk, by=demo.users["officer"])
        assert refused.value.rules == ["custodians_below_threshold"]

    def test_missing_notice_fields_of_mof87_art13(self, demo):
        tender = make_tender(
            demo,
            issue=NOV,
            deadline=self.DEADLINE,
            contact_phone="",
            max_price=None,
            qualification_requirements="",
        )
        assert rules_broken(tender) == {
            "notice_field:contact_phone",
            "notice_field:max_price",
            "notice_field:qualification_requirements",
        }

    def test_refusal_is_in_the_users_language(self, demo):
        from django.utils import translation

        tender = make_tender(demo, issue=NOV, deadline=self.DEADLINE, bid_security="50000.00")
        with translation.override("zh-hans"), pytest.raises(TenderRulesViolated) as refused:
            tender_submit(tender_id=tender.pk, by=demo.users["officer"])
        with translation.override("zh-hans"):
            assert "投标保证金" in str(refused.value.violations[0].message)

    def test_rule_set_is_data_an_administrator_changes(self, demo):
        from procurement.models import ProcurementMethod

        ProcurementMethod.objects.filter(code="open_tender").update(documents_to_deadline_days=25)
        tender = make_tender(demo, issue=NOV, deadline=self.DEADLINE)
        assert rules_broken(tender) == {"documents_to_deadline_days"}


class TestArticlesOfTheTendersOwnMethod:
    """Before: the 20/10-day message always cited 「招标投标法第二十四条、政府采购法第三十五条；竞争性磋商办法
    第十条」 and said 投标截止 for a consultation; the consultation documents rule cited GPLR 31."""

    @pytest.fixture(autouse=True)
    def _now(self):
        with time_machine.travel(NOV, tick=False):
            yield

    def messages(self, tender, language):
        from django.utils import translation

        with translation.override(language):
            return {v.rule: str(v.message) for v in tender_problems(tender=tender)}

    def test_consultation_cites_the_consultation_measures_and_says_response(self, demo):
        early = make_tender(
            demo,
            method="competitive_consultation",
            issue=NOV,
            deadline=at("2026-11-11"),
            document_end=at("2026-11-06"),
        )
        zh = self.messages(early, "zh-hans")
        assert "（竞争性磋商办法第十条）" in zh["documents_to_deadline_days"]
        assert "招标投标法" not in zh["documents_to_deadline_days"] and "投标截止" not in zh["documents_to_deadline_days"]
        assert "响应文件" in zh["documents_to_deadline_days"]
        assert "（竞争性磋商办法第十条）" in zh["document_period_working_days"]
        en = self.messages(early, "en")
        assert en["documents_to_deadline_days"].endswith("(consultation measures Art 10).")
        assert en["documents_to_deadline_days"].startswith("The response deadline")

    def test_open_tender_cites_bl_and_gpl_only(self, demo):
        early = make_tender(demo, issue=NOV, deadline=at("2026-11-21"), document_end=at("2026-11-13"))
        zh = self.messages(early, "zh-hans")
        assert "（招标投标法第二十四条、政府采购法第三十五条）" in zh["documents_to_deadline_days"]
        assert "磋商" not in zh["documents_to_deadline_days"]
        assert "(BL Art 24, GPL Art 35)" in self.messages(early, "en")["documents_to_deadline_days"]

    def test_enquiry_cites_its_own_article_not_negotiations(self, demo):
        early = make_tender(
            demo, method="enquiry", issue=NOV, deadline=at("2026-11-04", "17:00"), document_end=at("2026-11-04")
        )
        zh = self.messages(early, "zh-hans")["documents_to_deadline_working_days"]
        assert "财政部74号令第四十五条" in zh and "第二十九条" not in zh

    def test_a_two_supplier_case_only_for_consultation(self, demo):
        tender = make_tender(demo, issue=NOV, deadline=self.DEADLINE, consultation_case="research")
        assert rules_broken(tender) == {"consultation_case_method"}

    DEADLINE = at("2026-11-23")


class TestCountingPeriods:
    """RULES.md "Counting periods": a minimum period whose last day is a holiday ends on the first
    day after it, and documents available until 00:00 of a day are not available that day."""

    ISSUE = at("2026-09-14", "09:00")  # 20 days later is Sunday 4 Oct, inside National Day

    @pytest.fixture(autouse=True)
    def _now(self):
        with time_machine.travel(self.ISSUE, tick=False):
            yield

    def test_a_minimum_period_ending_in_the_holiday_ends_on_8_october(self, demo):
        refused = make_tender(demo, issue=self.ISSUE, deadline=at("2026-10-04", "10:00"))
        assert "documents_to_deadline_days" in rules_broken(refused)
        message = next(
            p.message for p in tender_problems(tender=refused) if p.rule == "documents_to_deadline_days"
        )
        assert "2026-10-08" in str(message)
        inside = make_tender(demo, issue=self.ISSUE, deadline=at("2026-10-07", "10:00"))
        assert "documents_to_deadline_days" in rules_broken(inside)
        accepted = make_tender(demo, issue=self.ISSUE, deadline=at("2026-10-08", "10:00"))
        assert "documents_to_deadline_days" not in rules_broken(accepted)


def test_documents_until_00_00_do_not_count_that_day(demo):
    issue = at("2026-09-30", "09:00")  # 5 working days after: 8, 9, 10 (make-up Saturday), 12, 13 Oct
    with time_machine.travel(issue, tick=False):
        midnight = make_tender(
            demo, issue=issue, deadline=at("2026-10-20"), document_end=at("2026-10-13", "00:00")
        )
        assert "document_period_working_days" in rules_broken(midnight)
        evening = make_tender(
            demo, issue=issue, deadline=at("2026-10-20"), document_end=at("2026-10-14", "00:00")
        )
        assert "document_period_working_days" not in rules_broken(evening)


def test_a_period_into_an_unknown_year_is_a_problem_beside_its_field(demo):
    from tests.conftest import calendar_forget

    calendar_forget(2027)
    issue = at("2026-12-21", "09:00")
    with time_machine.travel(issue, tick=False):
        tender = make_tender(demo, issue=issue, deadline=at("2027-01-15"), document_end=at("2027-01-14"))
        problems = tender_problems(tender=tender)
    unknown = [p for p in problems if p.rule == "calendar_year_unknown"]
    # 20 days from 21 Dec end on Sunday 10 Jan 2027 (unknown); 5 working days end on 28 Dec (known).
    assert {p.field for p in unknown} == {"bid_deadline"}
    assert "2027年的法定节假日安排尚未公布" in str(unknown[0].message)
