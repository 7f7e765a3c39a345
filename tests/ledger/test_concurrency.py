"""Two OS processes appending at once on PostgreSQL: no gap, no duplicate index, no fork."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ledger.models import LedgerEntry

APPENDS_PER_PROCESS = 1500

WORKER = textwrap.dedent(
    """
    import os, sys, django
    django.setup()
    from django.db import connection, transaction
    connection.settings_dict["NAME"] = sys.argv[1]
    from ledger.services import ledger_append
    for i in range(int(sys.argv[2])):
        with transaction.atomic():
            ledger_append(kind="test/concurrent", payload={"worker": sys.argv[3], "n": i})
    """
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_appending_at_once_leave_a_dense_linear_log(capsys):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    name = connection.settings_dict["NAME"]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, name, str(APPENDS_PER_PROCESS), tag], cwd=root, env=env
        )
        for tag in ("a", "b")
    ]
    assert [w.wait(timeout=600) for w in workers] == [0, 0]
    indexes = list(LedgerEntry.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(2 * APPENDS_PER_PROCESS))
    by_worker = {tag: LedgerEntry.objects.filter(document__payload__worker=tag).count() for tag in ("a", "b")}
    assert by_worker == {"a": APPENDS_PER_PROCESS, "b": APPENDS_PER_PROCESS}
    call_command("ledger_verify")
    assert f"{2 * APPENDS_PER_PROCESS} entries" in capsys.readouterr().out
