"""The restore drill: a backup (`manage.py backup`) restored into a fresh database and storage
passes `ledger_verify`, and a signed record issued before the backup (as an opening record is)
opens again from the restored storage, verifies, and matches its ledger entry."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from ledger.encoding import format_time
from ledger.models import LedgerEntry
from ledger.services import tree_head_signed
from reports.services import signed_document_issue

ROOT = Path(__file__).resolve().parents[2]

RECORD_TEMPLATE = {
    "drill/record.html": "<html><body><h1>开标记录 {{ tender }}</h1><p>{{ verify_url }}</p></body></html>"
}


def _templates_with_drill_record():
    templates = [dict(t) for t in settings.TEMPLATES]
    options = dict(templates[0]["OPTIONS"])
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", RECORD_TEMPLATE),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    templates[0] = {**templates[0], "APP_DIRS": False, "OPTIONS": options}
    return templates


def _manage(var_dir: Path, *args: str, database_url: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SECRET_KEY": "restore-drill",
        "YIZHAN_VAR_DIR": str(var_dir),
        "YIZHAN_KEY_DIR": str(settings.PLATFORM_KEY_DIR),  # keys come back from their own backup
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )


def _signed_record():
    with override_settings(TEMPLATES=_templates_with_drill_record()):
        return signed_document_issue(
            kind="opening-record",
            title="开标记录 ZB-DRILL",
            template_name="drill/record.html",
            context={"tender": "ZB-DRILL"},
            filename="opening-record-ZB-DRILL.pdf",
            public=True,  # as an opening record is
        )


def _restored_installation_verifies(fresh: Path, record, *, database_url: str = "") -> None:
    """`ledger_verify` passes in the restored installation and the signed record reopens there, its
    bytes and signature intact, matching its ledger entry."""
    verified = _manage(fresh, "ledger_verify", database_url=database_url)
    assert verified.returncode == 0, verified.stderr
    assert "ledger verified" in verified.stdout

    restored_pdf = (fresh / "media" / record.file.name).read_bytes()
    assert hashlib.sha256(restored_pdf).hexdigest() == record.sha256
    # "document.issued" carries the document's kind, hash and time, not its token (reports.services)
    entry = LedgerEntry.objects.get(kind="document.issued", document__payload__sha256=record.sha256)
    assert entry.document["payload"]["document_kind"] == record.kind
    assert entry.document["payload"]["issued_at"] == format_time(record.issued_at)
    reopened = _manage(
        fresh,
        "shell",
        "-c",
        "from reports.models import SignedDocument; from reports.pdf import verify_pdf; "
        f"d = SignedDocument.objects.get(token='{record.token}'); "
        "print('record valid' if verify_pdf(d.file.open('rb').read()).valid else 'record INVALID')",
        database_url=database_url,
    )
    assert reopened.returncode == 0, reopened.stderr
    assert "record valid" in reopened.stdout


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="this drill restores the SQLite snapshot; the PostgreSQL one is the next test",
)
@pytest.mark.django_db(transaction=True)  # the backup must see committed data
def test_backup_restores_into_a_fresh_installation_that_verifies(tmp_path):
    record = _signed_record()
    tree_head_signed()
    call_command("backup", "--target", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "database.sqlite3").exists() and (backup / "files" / "media").exists()

    fresh = tmp_path / "restored"
    call_command("restore", str(backup), "--var-dir", str(fresh))
    _restored_installation_verifies(fresh, record)


@pytest.fixture
def empty_postgres_database():
    """A new, empty database on the test database's server (dropped afterwards), as an operator
    would create one to restore into; its URL."""
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    yield f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # pg_dump, another session, must see committed data
def test_postgres_backup_restores_into_an_empty_database_that_verifies(tmp_path, empty_postgres_database):
    record = _signed_record()
    tree_head_signed()
    call_command("backup", "--target", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "database.dump").stat().st_size > 0 and (backup / "files" / "media").exists()

    fresh = tmp_path / "restored"
    call_command("restore", str(backup), "--var-dir", str(fresh), "--database-url", empty_postgres_database)
    _restored_installation_verifies(fresh, record, database_url=empty_postgres_database)
    migrated = _manage(fresh, "showmigrations", "--plan", database_url=empty_postgres_database)
    assert migrated.returncode == 0 and "[ ]" not in migrated.stdout, migrated.stdout + migrated.stderr
