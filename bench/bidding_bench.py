"""The deadline rush (issues 7 and 21): BIDDERS concurrent bidders, each sealing and uploading a bid
of MIB MiB in 1 MiB chunks to Daphne (SERVERS processes) on PostgreSQL; then the deadline is set
DEADLINE_S (5) seconds after the finalize burst starts, every bidder but LATE fires its finalize at
once, and the LATE ones fire theirs half a second after the deadline.

Reports: of the finalizes whose request was completely sent before the deadline (stamped by the
client when the last byte of the body was written, httpx's trace), how many were accepted (must be
all) and of those sent after, how many were refused (must be all); receipts verified (Ed25519, by the
client) and every receipt's `received_at` before the deadline; p50/p99 finalize latency; how many
finalizes checked the file digests from the running digest kept at upload (the rest read the chunks
back); and the server's ingest throughput as a ratio against writing (with fsync per chunk, as the
server does) and hashing the same number of bytes locally in the same run.

Environment: BID_BENCH_BIDDERS (200), BID_BENCH_MIB (20), BID_BENCH_SERVERS (2),
BID_BENCH_CONNECTIONS (64 HTTP connections in all for the uploads; the finalize burst opens one
connection per bidder, so no finalize waits in the client), BID_BENCH_LATE (bidders // 20, at least
1), BID_BENCH_DEADLINE_S (5), DATABASE_URL (a PostgreSQL server: the bench makes and drops its own
database there; without it, a temporary SQLite file, which serialises writers and is not the
production set-up). Quick check:
  BID_BENCH_BIDDERS=8 BID_BENCH_MIB=3 python -m bench.bidding_bench"""

import asyncio
import hashlib
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BIDDERS = int(os.environ.get("BID_BENCH_BIDDERS", "200"))
MIB = int(os.environ.get("BID_BENCH_MIB", "20"))
SERVERS = int(os.environ.get("BID_BENCH_SERVERS", "2"))
CONNECTIONS = int(os.environ.get("BID_BENCH_CONNECTIONS", "64"))
LATE = int(os.environ.get("BID_BENCH_LATE", str(max(1, BIDDERS // 20))))
DEADLINE_S = float(os.environ.get("BID_BENCH_DEADLINE_S", "5"))
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database() -> tuple[str, callable]:
    """(DATABASE_URL for the bench, a function that drops it)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{os.environ['YIZHAN_VAR_DIR']}/bench.sqlite3", lambda: None
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"yizhan_bidbench_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def _local_baseline(total_chunks: int) -> float:
    """Seconds to write `total_chunks` 1 MiB chunks to fresh files, fsync each (file and directory)
    and SHA-256 them: the server's per-chunk storage work without HTTP, Django or the database."""
    directory = Path(tempfile.mkdtemp(prefix="yizhan-bid-baseline-"))
    data = os.urandom(1_048_592)
    started = time.perf_counter()
    dir_fd = os.open(directory, os.O_RDONLY)
    for i in range(total_chunks):
        hashlib.sha256(data).digest()
        fd = os.open(directory / str(i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        os.fsync(dir_fd)
    os.close(dir_fd)
    seconds = time.perf_counter() - started
    for path in directory.iterdir():
        path.unlink()
    directory.rmdir()
    return seconds


def main() -> None:
    os.environ["YIZHAN_VAR_DIR"] = tempfile.mkdtemp(prefix="yizhan-bid-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("YIZHAN_TEST_RUN", f"bench{os.getpid()}")
    database_url, drop = _database()
    os.environ["DATABASE_URL"] = database_url
    servers: list[subprocess.Popen] = []
    try:
        _run(servers)
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait()
        drop()


def _run(servers: list) -> None:
    import django

    django.setup()
    import datetime as dt

    import httpx
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.management.commands.load_demo import demo_build
    from accounts.services import api_token_issue
    from bidding.client.bid import platform_keys, platform_signature_ok
    from bidding.models import BidVersion
    from bidding.sb1 import p256
    from bidding.sb1.sealing import Attachment, BidSealer, manifest_bytes
    from bidding.selectors.submission import tender_custodian_keys
    from ledger.encoding import b64u_encode, format_time
    from tenders.models import Tender
    from tests.bidding.submission_factory import bidder_make, tender_open_now

    demo = demo_build()
    tender, _ = tender_open_now(demo)
    bidders = [bidder_make() for _ in range(BIDDERS)]
    tokens = [api_token_issue(user=b.user).key for b in bidders]
    custodians = tender_custodian_keys(tender)
    readout = {name: "30" for name in tender.readout_fields} | {"price": "100.00", "currency": "CNY"}
    print(
        f"{BIDDERS} bidders × {MIB} MiB, {SERVERS} Daphne process(es) on "
        f"{'PostgreSQL' if os.environ['DATABASE_URL'].startswith('postgres') else 'SQLite'}",
        flush=True,
    )

    env = {**os.environ}
    urls = []
    logs = []
    for n in range(SERVERS):
        port = _free_port()
        # Each finalize's "file digests running|reread" line goes to the log and is counted below.
        log = Path(os.environ["YIZHAN_VAR_DIR"]) / f"server-{n}.log"
        logs.append(log)
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "bench._serve", str(port)],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log.open("w"),
                start_new_session=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/api/ledger/keys/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)

    size = MIB * 1024 * 1024 - 4096  # with the padded form (one 4 KiB chunk) the bid is MIB MiB
    sealers = []
    for bidder in bidders:
        sealer = BidSealer(
            tender=tender.reference,
            lot="1",
            bid=str(uuid.uuid4()),
            supplier=bidder.code,
            readout=readout,
            readout_fields=list(tender.readout_fields),
            attachments=[Attachment(1, "offer.bin", "application/octet-stream", size)],
            custodians=custodians,
            threshold=tender.threshold_k,
        )
        sealers.append(sealer)
    chunk_total = sum(1 + -(-size // 1_048_576) for _ in bidders)
    limits = httpx.Limits(max_connections=max(1, CONNECTIONS // SERVERS))
    uploaded_bytes = 0

    async def upload(n: int, client: httpx.AsyncClient) -> tuple[bytes, str]:
        nonlocal uploaded_bytes
        bidder, sealer = bidders[n], sealers[n]
        headers = {"Authorization": f"Bearer {tokens[n]}"}
        sizes = [len(sealer.form_plaintext), size]
        r = await client.post(
            "/api/bidding/uploads/",
            json={"tender": tender.reference, "lot": "1", "bid": sealer.bid, "file_sizes": sizes},
            headers=headers,
        )
        r.raise_for_status()
        # A zero-filled attachment: the content does not matter to the server, the ciphertext does.
        for f, source in ((0, None), (1, io.BytesIO(bytes(size)))):
            stream = iter(sealer.seal_file(f, source))
            i = 0
            while True:
                chunk = await asyncio.to_thread(next, stream, None)
                if chunk is None:
                    break
                digest = b64u_encode(hashlib.sha256(chunk).digest())
                r = await client.put(
                    f"/api/bidding/uploads/{sealer.bid}/files/{f}/chunks/{i}/",
                    content=chunk,
                    headers={**headers, "Content-Type": "application/octet-stream", "X-Chunk-SHA256": digest},
                )
                r.raise_for_status()
                uploaded_bytes += len(chunk)
                i += 1
        manifest = sealer.manifest(
            replaces=None, signer=bidder.certificate.fingerprint, created=format_time(dt.datetime.now(dt.UTC))
        )
        raw = manifest_bytes(manifest)
        return raw, b64u_encode(p256.ecdsa_sign(bidder.key, "SB1/manifest", raw))

    async def finalize(
        n: int, client: httpx.AsyncClient, raw: bytes, signature: str, delay: float
    ) -> tuple[float, float, dict | None, str]:
        """(latency, wall-clock time the request's last byte was sent, receipt or None, error code)."""
        await asyncio.sleep(delay)
        sent: list[float] = []

        async def trace(event: str, info: dict) -> None:
            if event == "http11.send_request_body.complete":
                sent.append(time.time())

        started = time.perf_counter()
        r = await client.post(
            f"/api/bidding/uploads/{sealers[n].bid}/finalize/",
            json={"manifest": b64u_encode(raw), "signature": signature},
            headers={"Authorization": f"Bearer {tokens[n]}"},
            extensions={"trace": trace},
        )
        latency = time.perf_counter() - started
        if r.status_code == 201:
            return latency, sent[0], r.json()["receipt"], ""
        return latency, sent[0], None, r.json().get("code", str(r.status_code))

    async def rush() -> tuple[float, list, float, dt.datetime]:
        clients = [httpx.AsyncClient(base_url=u, limits=limits, timeout=600) for u in urls]
        # The burst: one connection per bidder, opened as the requests go, so that no finalize waits
        # for a free connection in the client (its time of receipt is then the server's business).
        bursts = [
            httpx.AsyncClient(base_url=u, limits=httpx.Limits(max_connections=None), timeout=600)
            for u in urls
        ]
        try:
            started = time.perf_counter()
            sealed = await asyncio.gather(*(upload(n, clients[n % SERVERS]) for n in range(BIDDERS)))
            ingest = time.perf_counter() - started
            # The deadline is set DEADLINE_S seconds after the burst starts (a shortcut, instead of
            # timing the uploads to end just then); all but LATE bidders finalize at once, the LATE
            # ones half a second after the deadline.
            deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=DEADLINE_S)
            await asyncio.to_thread(lambda: Tender.objects.filter(pk=tender.pk).update(bid_deadline=deadline))
            window = time.perf_counter()
            late_delay = (deadline - dt.datetime.now(dt.UTC)).total_seconds() + 0.5
            results = await asyncio.gather(
                *(
                    finalize(n, bursts[n % SERVERS], *sealed[n], late_delay if n >= BIDDERS - LATE else 0.0)
                    for n in range(BIDDERS)
                )
            )
            return ingest, results, time.perf_counter() - window, deadline
        finally:
            for c in clients + bursts:
                await c.aclose()

    ingest_seconds, results, window_seconds, deadline = asyncio.run(rush())
    keys = platform_keys(_KeysApi(urls[0]))
    cutoff = deadline.timestamp()
    in_time = [r for r in results if r[1] < cutoff]
    after = [r for r in results if r[1] >= cutoff]
    accepted_in_time = [r for r in in_time if r[2] is not None]
    accepted_after = [r for r in after if r[2] is not None]
    receipts = [r[2] for r in results if r[2] is not None]
    verified = sum(platform_signature_ok(r, keys) for r in receipts)
    stamped_in_time = sum(r["payload"]["received_at"] < format_time(deadline) for r in receipts)
    refusals = sorted({r[3] for r in results if r[2] is None})
    latencies = sorted(r[0] for r in in_time)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    digest_lines = [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if "file digests" in line
    ]
    running = sum(line.endswith("running") for line in digest_lines)
    baseline = _local_baseline(chunk_total)
    server_rate = uploaded_bytes / ingest_seconds / 1024**2
    local_rate = chunk_total * 1_048_592 / baseline / 1024**2
    print(
        f"deadline {DEADLINE_S:g} s after the burst: sent before it {len(in_time)}, accepted "
        f"{len(accepted_in_time)}/{len(in_time)}; sent after it {len(after)}, accepted {len(accepted_after)} "
        f"(refusal codes: {', '.join(refusals) or 'none'}); {BidVersion.objects.count()} stored; "
        f"receipts verified {verified}/{len(receipts)}, received_at before the deadline "
        f"{stamped_in_time}/{len(receipts)}"
    )
    print(
        f"finalize latency (in time): p50 {statistics.median(latencies) * 1000:,.0f} ms, "
        f"p99 {p99 * 1000:,.0f} ms; all done {window_seconds:,.1f} s after the burst started; "
        f"file digests from the running digest (no chunk read back) in {running} of {len(digest_lines)} finalizes checked"
    )
    print(
        f"ingest: {uploaded_bytes / 1024**2:,.0f} MiB in {ingest_seconds:,.1f} s = {server_rate:,.1f} MiB/s "
        f"(sealing on the client included); local write+fsync+SHA-256 of the same bytes: {local_rate:,.1f} MiB/s; "
        f"ratio {server_rate / local_rate:.2f}"
    )
    if (
        len(accepted_in_time) != len(in_time)
        or accepted_after
        or verified != len(receipts)
        or stamped_in_time != len(receipts)
    ):
        raise SystemExit("a finalize sent before the deadline was refused, or one sent after it accepted")


class _KeysApi:
    def __init__(self, url: str) -> None:
        self.url = url

    def get(self, path: str):
        import httpx

        return httpx.get(self.url + path, timeout=30).json()


if __name__ == "__main__":
    main()
