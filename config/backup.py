"""Backups and restores of one installation: the database and the stored files, consistent.

The database is snapshotted first (SQLite: `VACUUM INTO`, a transactionally consistent copy taken
while the site runs; PostgreSQL: `pg_dump -Fc`, one repeatable-read snapshot), then the files are
copied (MEDIA_ROOT and the bid storage). Every file is written before the row that names it, and
never changes afterwards, so every file the snapshot names is in the copy. Platform keys are NOT
in a backup (docs/operations.md: back them up separately, they are passphrase-protected)."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from config import clock

FILE_DIRECTORIES = {
    "media": lambda: Path(settings.MEDIA_ROOT),
    "bids": lambda: Path(settings.VAR_DIR) / "bids",
}


def _pg_tool(name: str) -> str:
    """The PostgreSQL client tool from PATH (the server's major version must match it)."""
    return shutil.which(name) or name


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"


def backup_create(*, target: Path) -> Path:
    """Write a new backup directory under `target` and return it: database.sqlite3 or
    database.dump, then files/<media|bids>/..."""
    folder = Path(target) / f"yizhan-{clock.now().strftime('%Y%m%dT%H%M%S%f')}"
    folder.mkdir(parents=True)
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(folder / "database.sqlite3")])
    else:
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={folder / 'database.dump'}", _pg_url()],
            check=True,
        )
    for name, source in FILE_DIRECTORIES.items():
        if source().exists():
            shutil.copytree(source(), folder / "files" / name)
    return folder


def backup_restore(*, source: Path, var_dir: Path, database_url: str = "") -> None:
    """Restore a backup made by `backup_create` into a fresh installation: the files under
    `var_dir`, the database into `database_url` (PostgreSQL, an empty database) or, without one,
    into `var_dir`/yizhan.sqlite3 (the embedded default's place)."""
    source, var_dir = Path(source), Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    if (source / "database.sqlite3").exists():
        if database_url:
            raise ValueError("a SQLite backup restores into a SQLite file, not into database_url")
        shutil.copyfile(source / "database.sqlite3", var_dir / "yizhan.sqlite3")
    else:
        subprocess.run(  # noqa: S603
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={database_url}",
                str(source / "database.dump"),
            ],
            check=True,
        )
    for name in FILE_DIRECTORIES:
        if (source / "files" / name).exists():
            shutil.copytree(source / "files" / name, var_dir / name, dirs_exist_ok=True)
