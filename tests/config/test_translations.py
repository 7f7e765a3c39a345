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


def _translations(catalog: Path) -> dict[tuple[str, str], str]:
    """(context, msgid) → msgstr of the catalog's singular entries."""
    import json

    found: dict[tuple[str, str], str] = {}
    for block in catalog.read_text(encoding="utf-8").split("\n\n"):
        if "msgid_plural" in block:
            continue
        context = re.search(r'^msgctxt (".*")$', block, re.M)
        entry = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not entry:
            continue
        msgid = "".join(json.loads(line) for line in entry.group(1).splitlines())
        msgstr = "".join(json.loads(line) for line in entry.group(2).splitlines())
        if msgid and msgstr:
            found[(json.loads(context.group(1)) if context else "", msgid)] = msgstr
    return found


def test_no_two_apps_translate_the_same_message_differently():
    """Django merges every app's catalog and the first app's translation wins, so a second,
    different translation of the same msgid is never shown: where the meanings differ, the message
    needs a context (pgettext), otherwise the same words."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    clashes = []
    for catalog in CATALOGS:
        app = catalog.relative_to(REPO_ROOT).parts[0]
        for key, msgstr in _translations(catalog).items():
            if key in seen and seen[key][1] != msgstr:
                clashes.append(f"{key[1]!r}: {seen[key][0]} {seen[key][1]!r} ≠ {app} {msgstr!r}")
            seen.setdefault(key, (app, msgstr))
    assert not clashes, "\n".join(clashes)
