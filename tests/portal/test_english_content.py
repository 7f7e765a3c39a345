"""English mode is complete for the demo services: guides, department names, steps, FAQ, fees and
materials in English; where no translation was entered, the Chinese shows, marked as Chinese
(lang attribute) with a note."""

import re

import pytest
from django.urls import reverse

from portal.demo_catalogue import SERVICES
from portal.models import Service

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u9fff]")


def _main(page: str) -> str:
    """The page's main content, without what is marked as Chinese (lang="zh-CN" elements)."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r'<span lang="zh-CN">[^<]*</span>', "", main)
    return re.sub(r"<[^>]*>", " ", main)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_every_demo_guide_reads_in_english(demo, english):
    untranslated = {}
    for spec in SERVICES:
        page = english.get(reverse("portal:guide", args=[spec["code"]]))
        text = _main(page.content.decode())
        chinese = sorted(set(CJK.findall(text)))
        if chinese:
            untranslated[spec["code"]] = "".join(chinese)[:40]
    assert untranslated == {}


def test_the_marriage_guide_shows_the_english_entered(demo, english):
    page = english.get(reverse("portal:guide", args=["marriage-registration"]))
    page = page.content.decode()
    for expected in (
        "Marriage registration",
        "Shanghai Civil Affairs Bureau",
        "Shanghai Public Security Bureau",
        "Administrative confirmation",
        "Pay the certificate fee online",
        "Can one of us come alone?",
        "Man&#x27;s resident ID card",
        "Marriage certificate fee",
    ):
        assert expected in page, expected


def test_without_a_translation_the_chinese_shows_marked_with_a_note(demo, english):
    Service.objects.filter(code="marriage-registration").update(summary_en="", steps_en=[])
    page = english.get(reverse("portal:guide", args=["marriage-registration"]))
    page = page.content.decode()
    summary = page[page.index('id="summary"') :].split("</p>")[0]
    assert '<span lang="zh-CN">内地居民双方自愿结婚的' in summary
    assert "in Chinese; no English translation yet" in summary
    steps = page[page.index('id="steps"') :].split("</ol>")[0]
    assert '<li lang="zh-CN">在线填写申请并上传材料</li>' in steps


def test_chinese_mode_is_unchanged(demo, client):
    page = client.get(reverse("portal:guide", args=["marriage-registration"])).content.decode()
    assert (
        "内地居民双方自愿结婚的" in page and "上海市民政局" in page and "Pay the certificate fee" not in page
    )
    assert "no English translation" not in page


def test_the_catalogue_reads_in_english(demo, english):
    page = english.get(reverse("portal:catalogue"), {"department": ""})
    text = _main(page.content.decode())
    assert "Shanghai Civil Affairs Bureau" in text and "Two mainland residents who freely wish" in text
    assert sorted(set(CJK.findall(text))) == []
