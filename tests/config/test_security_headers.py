"""Content-Security-Policy on every page, no inline script anywhere, the API viewer from our own files."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def script_sources(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    return directives["script-src"].split()


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/admin/login/", "/api/docs/", "/notices/", "/no-such-page/"]
)
def test_every_page_forbids_inline_and_foreign_scripts(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert script_sources(policy) == ["'self'"], path
    assert "frame-ancestors 'none'" in policy


def test_no_template_holds_an_inline_script():
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if any(part in (".venv", "node_modules") for part in template.parts):
            continue
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
    assert offenders == []


def test_the_api_viewer_loads_nothing_from_elsewhere(client):
    page = client.get("/api/docs/").content.decode()
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert "<script>" not in page
    for asset in re.findall(r'(?:src|href)="/static/([^"?]+)"', page):
        assert finders.find(asset), asset
    script_url = re.search(r'<script src="(/api/docs/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
