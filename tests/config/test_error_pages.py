"""Ordinary errors get the platform's own pages in the user's language, also under `make run`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import choose_english

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_not_found_is_a_chinese_page_with_the_site_around_it(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page
    assert 'class="yz-header"' in page


def test_not_found_in_english_on_request(client):
    response = choose_english(client).get("/no-such-page/")
    assert "Page not found" in response.content.decode()


def test_a_browser_asking_for_english_gets_chinese_until_the_user_chooses(client):
    """#23: an en-US browser got the English site on its first visit."""
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-' in page or "<html lang='zh-" in page
    page = choose_english(client).get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en' in page


def test_a_server_error_is_a_plain_chinese_page(client, settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "抱歉，服务出现问题" in response.content.decode()


def test_make_run_settings_show_the_platform_pages_not_the_debug_page(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "YIZHAN_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", YIZHAN_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
