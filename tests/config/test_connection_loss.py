"""Failures of the services underneath: the database drops every connection (a PostgreSQL restart
or failover), Redis drops its clients (a restart). Simulated on this test's own database and
Redis db only (pg_terminate_backend of the test database's sessions, CLIENT KILL of the Redis
db's clients), never by restarting the shared servers. The site answers the next request without
an error, and what was accepted before (ledgered receipts) is all still there."""

import io

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test import RequestFactory

from ledger.models import LedgerEntry
from ledger.services import ledger_append


def _served(path: str) -> tuple[int, bytes]:
    """One request as a Daphne/WSGI worker serves it: request_started and request_finished run
    close_old_connections (the test client skips them), so the worker's connection handling is real."""
    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []
    body = b"".join(WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def _terminate_own_database_sessions() -> int:
    """Every other session of this test's database, ended from a separate connection, as a server
    restart would end them; returns how many."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


@pytest.fixture
def production_connections():
    """The worker's database connection as production keeps it (settings.DATABASE_PERSISTENT_CONNECTIONS)."""
    saved = {key: connection.settings_dict.get(key) for key in settings.DATABASE_PERSISTENT_CONNECTIONS}
    connection.settings_dict.update(settings.DATABASE_PERSISTENT_CONNECTIONS)
    connection.close()
    yield
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_replaced_and_nothing_accepted_is_lost(production_connections):
    with transaction.atomic():
        receipts = [ledger_append(kind="SB1/receipt", payload={"sequence": n}) for n in (1, 2, 3)]
    status, _body = _served("/api/ledger/tree-head/")
    assert status == 200
    assert connection.connection is not None  # kept for the next request, as in production

    assert _terminate_own_database_sessions() >= 1

    for _ in range(3):  # the first request after the drop too
        status, body = _served(f"/api/ledger/entries/{receipts[-1].index}/")
        assert status == 200, body[:300]
    assert LedgerEntry.objects.filter(kind="SB1/receipt").count() == 3


def _kill_redis_clients_named(url: str, name: str) -> int:
    """Close the Redis clients called `name` (CLIENT KILL by id), as a Redis restart would close
    them; no other client of the shared server (another test worker, another helper) is touched."""
    import redis

    admin = redis.Redis.from_url(url)
    killed = 0
    for client in admin.client_list():
        if client.get("name") == name:
            admin.client_kill_filter(_id=client["id"])
            killed += 1
    admin.close()
    return killed


@pytest.mark.skipif(
    "channels_redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="needs the Redis channel layer: set REDIS_URL (make test does in CI)",
)
def test_the_channel_layer_reconnects_after_redis_drops_its_clients():
    """A ceremony's and an approval's live updates go through the channel layer: after Redis closed
    its pooled connections, the next send and receive reconnect instead of failing. The layer is
    configured as settings say, its connections named so that only they are closed."""
    import asyncio
    import os

    from channels_redis.core import RedisChannelLayer

    (host,) = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]
    host = host if isinstance(host, dict) else {"address": host}
    name = f"yizhan-drop-test-{os.getpid()}"

    async def exchange():
        layer = RedisChannelLayer(hosts=[{**host, "client_name": name}])
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "ceremony.phase", "n": 1})
        first = await layer.receive(channel)
        killed = _kill_redis_clients_named(host["address"], name)
        await layer.send(channel, {"type": "ceremony.phase", "n": 2})
        second = await layer.receive(channel)
        await layer.close_pools()
        return first, killed, second

    first, killed, second = asyncio.run(exchange())
    assert first["n"] == 1 and killed >= 1
    assert second["n"] == 2
