"""The public procurement dashboard in a real browser: every chart is one image named by its
title and description, its bars carry the numbers of the table below it, the period and
organisation filters work from the form, and axe-core finds nothing serious."""

from playwright.sync_api import expect

from reports.models import TenderFact


def _bar_values(page, chart_id: str) -> list[int]:
    return [
        int(v)
        for v in page.locator(f"#{chart_id} rect.yz-chart__bar").evaluate_all(
            "rects => rects.map(r => r.dataset.value)"
        )
    ]


def _column(page, table_id: str, n: int) -> list[int]:
    cells = page.locator(f"#{table_id} tbody tr td:nth-of-type({n})").all_inner_texts()
    return [int(c) for c in cells]


def test_the_public_dashboard_draws_its_tables_and_passes_axe(page, live_url, demo, axe_check, screenshot):
    counted = TenderFact.objects.count()
    assert counted, "the demo's public tenders are counted"
    page.goto(f"{live_url}/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("采购统计")
    expect(page.get_by_role("img", name="每月发布的采购项目")).to_be_visible()
    expect(page.get_by_role("img", name="按采购方式统计的采购项目")).to_be_visible()
    expect(page.get_by_role("img", name="按品目类别统计的采购项目")).to_be_visible()
    expect(page.get_by_role("img", name="按地区统计的采购项目")).to_be_visible()

    months = _bar_values(page, "chart-tender-months")
    assert months == _column(page, "tender-months-table", 1) and len(months) == 12
    methods = _bar_values(page, "chart-tender-methods")
    assert methods == _column(page, "tender-methods-table", 1)
    assert sum(methods) == sum(months) == int(page.locator('[data-figure="tenders"] dd').inner_text())
    assert _bar_values(page, "chart-tender-categories") == _column(page, "tender-categories-table", 1)
    axe_check(page)
    screenshot(page, "statistics-01-dashboard-zh")

    # One organisation: the figures narrow to its tenders, the form keeps the choice.
    page.get_by_label("机构", exact=True).select_option(index=1)
    page.get_by_role("button", name="显示统计数据").click()
    chosen = int(page.get_by_label("机构", exact=True).input_value())
    expect(page.locator('[data-figure="tenders"] dd')).to_have_text(
        str(TenderFact.objects.filter(buyer_id=chosen, month__gte=page_month_from(page)).count())
    )
    axe_check(page)

    # A reversed period is refused with an error summary that links to the field.
    page.get_by_label("起始月份").fill("2026-12")
    page.get_by_label("截止月份").fill("2026-01")
    page.get_by_role("button", name="显示统计数据").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("起始月份不能晚于截止月份")
    axe_check(page)
    screenshot(page, "statistics-02-error-zh")


def page_month_from(page):
    """The first month of the period the dashboard shows (the first row of the months table)."""
    from datetime import date

    first = page.locator("#tender-months-table tbody tr").first.get_attribute("data-key")
    year, month = (int(p) for p in first.split("-"))
    return date(year, month, 1)
