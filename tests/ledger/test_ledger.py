"""The ledger as stored: appends, proofs served from stored subtrees, the API, ledger_verify."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from ledger import merkle
from ledger.encoding import b64u_decode, b64u_encode, jcs
from ledger.selectors import consistency_proof, inclusion_proof, ledger_root
from ledger.services import ledger_append, ledger_append_many, tree_head_signed
from ledger.signing import platform_sign, platform_verify

from .test_merkle import independent_consistency_ok, independent_root_from_path, ref_mth

pytestmark = pytest.mark.django_db


def append(n: int) -> list[bytes]:
    with transaction.atomic():
        ledger_append_many(items=[("test/event", {"n": i}) for i in range(n)])
    from ledger.models import LedgerEntry

    return [bytes(c) for c in LedgerEntry.objects.order_by("index").values_list("canonical", flat=True)]


def test_append_signs_typed_payloads_and_keeps_signed_objects_as_they_are():
    with transaction.atomic():
        receipt = ledger_append(kind="SB1/receipt", payload={"sequence": 1})
        envelope = ledger_append(kind="SB1/seal", payload=platform_sign({"type": "SB1/seal", "count": 0}))
        user = ledger_append(
            kind="SB1/withdrawal", payload={"statement": {"type": "SB1/withdrawal"}, "signature": "AA"}
        )
    assert (receipt.index, envelope.index, user.index) == (0, 1, 2)
    assert receipt.document["payload"] == {"type": "SB1/receipt", "sequence": 1}
    assert platform_verify(receipt.document) and platform_verify(envelope.document)
    assert user.document == {"statement": {"type": "SB1/withdrawal"}, "signature": "AA"}
    for entry in (receipt, envelope, user):
        assert bytes(entry.canonical) == jcs(entry.document)
        assert bytes(entry.leaf_hash) == merkle.leaf_hash(jcs(entry.document))
    with pytest.raises(ValueError):
        ledger_append(kind="SB1/receipt", payload={"type": "SB1/seal"})


def test_stored_proofs_equal_the_reference_for_every_pair_up_to_64():
    leaves = append(64)
    for n in range(0, 65):
        assert ledger_root(size=n) == ref_mth(leaves[:n])
        for i in range(n):
            path = inclusion_proof(index=i, size=n).path
            assert path == merkle.inclusion_path(i, leaves[:n])
            assert independent_root_from_path(leaves[i], i, n, path) == ref_mth(leaves[:n])
        for m in range(0, n + 1):
            proof = consistency_proof(size1=m, size2=n).proof
            assert proof == merkle.consistency_proof(m, leaves[:n])
            assert independent_consistency_ok(m, n, ref_mth(leaves[:m]), ref_mth(leaves[:n]), proof)


def test_the_api_serves_what_an_outside_verifier_accepts():
    leaves = append(21)
    client = Client()
    head = client.get("/api/ledger/tree-head/").json()
    assert platform_verify(head) and head["payload"]["size"] == 21
    root = b64u_decode(head["payload"]["root"])
    entry = client.get("/api/ledger/entries/13/").json()
    leaf_input = b64u_decode(entry["leaf_input"])
    assert leaf_input == leaves[13] == jcs(entry["document"])
    by_index = client.get("/api/ledger/proofs/inclusion/", {"index": 13}).json()
    by_hash = client.get("/api/ledger/proofs/inclusion/", {"leaf_hash": entry["leaf_hash"]}).json()
    assert by_index == by_hash
    path = [b64u_decode(h) for h in by_index["path"]]
    assert independent_root_from_path(leaf_input, 13, 21, path) == root
    old = client.get("/api/ledger/tree-head/", {"size": 6}).json()
    proof = client.get("/api/ledger/proofs/consistency/", {"size1": 6, "size2": 21}).json()
    assert independent_consistency_ok(
        6, 21, b64u_decode(old["payload"]["root"]), root, [b64u_decode(h) for h in proof["proof"]]
    )
    # One signed head per size: asking again returns the same signature.
    assert client.get("/api/ledger/tree-head/", {"size": 6}).json() == old
    keys = client.get("/ledger/keys.json").json()["keys"]
    assert head["key_id"] in {k["key_id"] for k in keys}


def test_a_verifier_streams_a_prefix_by_ranges_and_gets_the_signed_root():
    leaves = append(45)
    client = Client()
    frontier = merkle.MerkleFrontier()
    for start in range(0, 37, 10):  # the first 37 entries, ten at a time
        page = client.get("/api/ledger/entries/range/", {"start": start, "end": min(start + 10, 37)}).json()
        assert [e["index"] for e in page["entries"]] == list(range(start, min(start + 10, 37)))
        for entry in page["entries"]:
            assert b64u_decode(entry["leaf_input"]) == leaves[entry["index"]]
            frontier.append(b64u_decode(entry["leaf_input"]))
    head = client.get("/api/ledger/tree-head/", {"size": 37}).json()
    assert frontier.size == 37 and b64u_encode(frontier.root()) == head["payload"]["root"]
    assert len(frontier.subtrees) == bin(37).count("1")  # O(log n): one hash per set bit
    assert client.get("/api/ledger/entries/range/", {"start": 45, "end": 45}).json()["entries"] == []


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("/api/ledger/proofs/inclusion/?index=5", 400, "index_outside_tree"),
        ("/api/ledger/proofs/inclusion/?index=1&size=9", 400, "size_beyond_tree"),
        ("/api/ledger/proofs/inclusion/?index=abc", 400, "invalid"),
        ("/api/ledger/proofs/inclusion/?index=-1", 400, "invalid"),
        ("/api/ledger/proofs/inclusion/?index=99999999999999999999", 400, "invalid"),
        ("/api/ledger/proofs/inclusion/", 400, "invalid"),
        ("/api/ledger/proofs/inclusion/?leaf_hash=AA==", 400, "invalid"),
        (f"/api/ledger/proofs/inclusion/?leaf_hash={b64u_encode(bytes(32))}", 404, "entry_not_found"),
        ("/api/ledger/proofs/consistency/?size1=4&size2=2", 400, "sizes_reversed"),
        ("/api/ledger/proofs/consistency/?size1=2&size2=6", 400, "size_beyond_tree"),
        ("/api/ledger/proofs/consistency/?size1=x&size2=2", 400, "invalid"),
        ("/api/ledger/tree-head/?size=6", 400, "size_beyond_tree"),
        ("/api/ledger/entries/5/", 404, "entry_not_found"),
        ("/api/ledger/entries/range/?start=0&end=6", 400, "size_beyond_tree"),
        ("/api/ledger/entries/range/?start=3&end=2", 400, "invalid"),
        ("/api/ledger/entries/range/?start=0&end=1001", 400, "invalid"),
        ("/api/ledger/entries/range/?start=0", 400, "invalid"),
    ],
)
def test_bad_requests_get_a_clear_error_not_a_500(query, status, code):
    append(5)
    response = Client().get(query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]


def test_errors_speak_chinese_by_default():
    append(2)
    body = Client().get("/api/ledger/proofs/consistency/?size1=4&size2=2").json()
    assert body["code"] == "sizes_reversed"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_overview_page_shows_the_latest_head():
    append(3)
    response = Client().get("/ledger/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert tree_head_signed().signed["payload"]["root"] in response.content.decode()


def test_a_proof_at_ten_thousand_entries_reads_logarithmically(django_assert_max_num_queries):
    append(10_000)
    with django_assert_max_num_queries(3):
        proof = inclusion_proof(index=4321)
    with django_assert_max_num_queries(3):
        consistency = consistency_proof(size1=3333, size2=10_000)
    assert len(proof.path) == 14 and consistency.proof


def _verify_problems(capsys) -> str:
    with pytest.raises(CommandError):
        call_command("ledger_verify")
    return capsys.readouterr().err


def _sql(statement: str, params: list | None = None) -> None:
    """Tamper below the ORM, as a database administrator would (parameters work on every backend)."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_ledger_verify_accepts_an_intact_ledger(capsys):
    append(40)
    tree_head_signed(size=17)
    tree_head_signed()
    call_command("ledger_verify")
    assert "40 entries, 2 signed tree heads" in capsys.readouterr().out


def test_ledger_verify_names_a_changed_entry(capsys):
    append(40)
    tree_head_signed()
    with connection.cursor() as cursor:
        cursor.execute('SELECT canonical FROM ledger_ledgerentry WHERE "index" = 23')
        canonical = bytes(cursor.fetchone()[0])
    _sql('UPDATE ledger_ledgerentry SET canonical = %s WHERE "index" = 23', [canonical + b" "])
    problems = _verify_problems(capsys)
    assert "entry 23:" in problems and "signed tree head at size 40" in problems


def test_ledger_verify_names_a_changed_entry_even_with_its_hashes_rewritten(capsys):
    leaves = append(40)
    tree_head_signed()
    forged = leaves[23][:-1] + b" }"
    digest = merkle.leaf_hash(forged)
    _sql('UPDATE ledger_ledgerentry SET canonical = %s, leaf_hash = %s WHERE "index" = 23', [forged, digest])
    _sql("UPDATE ledger_ledgernode SET hash = %s WHERE level = 0 AND position = 23", [digest])
    problems = _verify_problems(capsys)
    assert "entry 23:" in problems  # the document no longer matches the rewritten bytes
    assert "signed tree head at size 40" in problems


def test_ledger_verify_names_a_removed_entry(capsys):
    append(40)
    _sql('DELETE FROM ledger_ledgerentry WHERE "index" = 31')
    assert "entry 31: missing" in _verify_problems(capsys)


def test_ledger_verify_names_reordered_entries(capsys):
    append(40)
    _sql('UPDATE ledger_ledgerentry SET "index" = 1000 WHERE "index" = 5')
    _sql('UPDATE ledger_ledgerentry SET "index" = 5 WHERE "index" = 6')
    _sql('UPDATE ledger_ledgerentry SET "index" = 6 WHERE "index" = 1000')
    problems = _verify_problems(capsys)
    assert "entry 5:" in problems and "entry 6:" in problems and "entry 7:" not in problems
