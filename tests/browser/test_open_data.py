"""The public open-data page through a real browser: reached from the footer, the bulk files listed
with their SHA-256 and size in a table, the same in English, and no serious axe-core violation."""

from playwright.sync_api import expect

from config import clock
from reports.ocds.services import ocds_bulk_build


def test_the_open_data_page_lists_the_bulk_files_and_passes_axe(page, live_url, demo, axe_check):
    built = ocds_bulk_build(day=clock.today_local())
    page.goto(f"{live_url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="开放合同数据").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开放合同数据")
    table = page.locator("#bulk-files")
    for bulk in built:
        expect(table).to_contain_text(bulk.sha256)
        expect(table).to_contain_text(str(bulk.size))
    expect(page.get_by_role("heading", name="发布政策")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open contracting data")
    expect(page.locator("#bulk-files")).to_contain_text(built[0].sha256)
    axe_check(page)
