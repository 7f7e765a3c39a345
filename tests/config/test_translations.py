"""Chinese is the default language: every msgid in every zh_Hans catalog must be translated and
none left fuzzy, or English (or a wrong guess) leaks into the Chinese pages."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    path
    for path in REPO_ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/*.po")
    if path.parts[len(REPO_ROOT.parts)] not in {".venv", ".tools", "node_modules"}
)


def test_every_app_with_translations_is_found():
    found = {path.relative_to(REPO_ROOT).parts[0] for path in CATALOGS}
    assert {"config", "accounts"} <= found


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt (make test installs it)")
@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_catalog_is_complete_and_valid(catalog):
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check", "-o", "/dev/null", str(catalog)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejects {catalog}:\n{result.stderr}"
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{catalog.relative_to(REPO_ROOT)}: {statistics} (translate every entry, and remove the "
        "'#, fuzzy' flag of each one once its translation is checked)"
    )
