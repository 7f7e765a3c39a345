"""#18: a member of the public finds a result announcement by a Chinese phrase, reads it, and checks
it against the public ledger in the browser; a record altered behind the ledger's back fails the
same check. Screenshots kept."""

import time_machine
from django.test import override_settings

from awards import demo as awards_demo
from evaluation import demo as evaluation_demo
from tenders.constants import AnnouncementKind
from tenders.models import Announcement


def test_the_public_finds_reads_and_checks_a_result_announcement(demo, page, live_url, axe_check, screenshot):
    with (
        override_settings(EVALUATION_DEMO_TENDER=True),
        time_machine.travel("2026-10-08 10:00 +0800", tick=False),
    ):
        evaluation_demo.load(demo)
        awards_demo.load(demo)
    result = Announcement.objects.get(kind=AnnouncementKind.RESULT, tender__title=awards_demo.RESULT_TITLE)

    page.goto(f"{live_url}/awards/results/")
    page.fill("#id_q", "录播教室")
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("link", name=awards_demo.RESULT_TITLE).first.click()
    announcement = page.locator(f"#announcement-{result.sequence}")
    text = announcement.inner_text()
    assert result.payload["winner"]["name"] in text
    screenshot(page, "result-announcement")
    axe_check(page)

    announcement.get_by_role("link", name="在浏览器中核验").click()
    page.click("#check-button")
    page.wait_for_selector("#check-steps[data-verdict]")
    steps = {
        s: page.get_attribute(f"[data-step={s}]", "data-result")
        for s in ("hash", "entry", "signature", "inclusion")
    }
    assert page.get_attribute("#check-steps", "data-verdict") == "ok", steps
    assert "核验通过" in page.inner_text("#check-status")
    screenshot(page, "result-announcement-checked")
    axe_check(page)

    # Someone changes the stored announcement without the ledger: the same check now fails.
    payload = dict(result.payload)
    payload["amount"] = "1.00"
    Announcement.objects.filter(pk=result.pk).update(payload=payload)
    page.reload()
    page.click("#check-button")
    page.wait_for_selector("#check-steps[data-verdict]")
    assert page.get_attribute("#check-steps", "data-verdict") == "failed"
    assert page.get_attribute("[data-step=hash]", "data-result") == "failed"
    assert page.get_attribute("[data-step=inclusion]", "data-result") == "ok"  # the ledger itself is intact
    screenshot(page, "result-announcement-check-failed")
