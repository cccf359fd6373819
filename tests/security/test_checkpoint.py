"""Signed checkpoints against tampering with a real PostgreSQL audit trail.

Each attempt is made as the database owner with the audit triggers off (the strongest insider
short of stealing the auditor's key), verified in the same transaction, then rolled back. The
tally at the end says how many attempts a checkpoint catches, and names those it cannot.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, select, text

from console.models.security import audit
from console.models.security import checkpoint as cp
from console.models.security.connect import open_central
from console.models.security.tables import audit_log
from security.conftest import make_event

KEY = Ed25519PrivateKey.generate()
RESULTS: dict[str, bool] = {}  # attempt -> caught


@pytest.fixture(scope="module")
def signed(secure_db):  # noqa: ANN001, ANN201
    """Activity, a checkpoint over it, then more activity after the checkpoint."""
    db = secure_db
    op_a = db.users[("operator", "A")]
    engine = open_central(db.url.replace("postgres@", f"{op_a}@", 1), workstation="WS-CP")
    try:
        for i in range(6):
            with engine.begin() as conn:
                audit.append(conn, "export", actor=op_a, details={"rows": i})
                make_event(conn, db.centre("A"), op_a, f"checkpointed #{i}")
        with db.owner.connect() as conn:
            checkpoint = cp.make(conn, KEY)
        for i in range(3):
            with engine.begin() as conn:
                audit.append(conn, "report", actor=op_a, details={"after": i})
    finally:
        engine.dispose()
    return checkpoint


def _rehash_from(conn: Connection, start: int) -> None:
    """What an insider does after a rewrite: compute every later hash again."""
    prev = conn.scalar(select(audit_log.c.hash).where(audit_log.c.pos == start - 1)) or audit.GENESIS
    query = select(*audit._columns()).where(audit_log.c.pos >= start).order_by(audit_log.c.pos)
    for record in list(audit._records(conn, query)):
        record.prev_hash = prev
        record.hash = record.recomputed_hash()
        conn.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE pos = :pos"),
                     {"p": prev, "h": record.hash, "pos": record.pos})
        prev = record.hash


def _append_forged(conn: Connection, count: int, *, backdated: bool) -> None:
    last = conn.execute(select(audit_log.c.pos, audit_log.c.hash, audit_log.c.at)
                        .order_by(audit_log.c.pos.desc()).limit(1)).one()
    pos, prev, at = last
    for _ in range(count):
        pos += 1
        at = at.replace(year=2020) if backdated else at.replace(microsecond=0).replace(
            year=at.year + 1)
        digest = audit.chain_hash(prev, audit.canonical(pos, at, "postgres", "", "sign_in", None,
                                                        None, None, None, None))
        conn.execute(text("INSERT INTO audit_log (pos, at, actor, workstation, action, prev_hash, "
                          "hash) VALUES (:pos, :at, 'postgres', '', 'sign_in', :p, :h)"),
                     {"pos": pos, "at": at, "p": prev, "h": digest})
        prev = digest


def _attempt(db, checkpoint: cp.Checkpoint, name: str,  # noqa: ANN001
             tamper: Callable[[Connection], None]) -> audit.Verdict:
    with db.owner.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            tamper(conn)
            verdict = cp.verify(conn, checkpoint, KEY.public_key())
        finally:
            trans.rollback()
    RESULTS[name] = not verdict.ok
    return verdict


def _sql(*statements: str) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for statement in statements:
            conn.execute(text(statement))
    return run


def test_untouched_trail_verifies(secure_db, signed) -> None:
    with secure_db.owner.connect() as conn:
        verdict = cp.verify(conn, signed, KEY.public_key())
    assert verdict.ok and verdict.checked == signed.count + 3


def test_delete_all(secure_db, signed) -> None:
    with secure_db.owner.connect() as conn:  # without a checkpoint: "intact, 0 records"
        trans = conn.begin()
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_log"))
        assert audit.verify(conn).ok
        trans.rollback()
    verdict = _attempt(secure_db, signed, "delete all", _sql("DELETE FROM audit_log"))
    assert not verdict.ok and "missing" in verdict.problem


def test_delete_a_middle_record(secure_db, signed) -> None:
    verdict = _attempt(secure_db, signed, "delete a middle record",
                       _sql("DELETE FROM audit_log WHERE pos = 3"))
    assert not verdict.ok and verdict.first_bad == 3


def test_delete_a_middle_record_renumber_and_rehash(secure_db, signed) -> None:
    def tamper(conn: Connection) -> None:
        conn.execute(text("DELETE FROM audit_log WHERE pos = 3"))
        conn.execute(text("UPDATE audit_log SET pos = pos - 1 WHERE pos > 3"))
        _rehash_from(conn, 3)

    verdict = _attempt(secure_db, signed, "delete, renumber and re-hash", tamper)
    assert not verdict.ok


def test_rewrite_a_record_and_rehash_the_rest(secure_db, signed) -> None:
    def tamper(conn: Connection) -> None:
        conn.execute(text("UPDATE audit_log SET details = '{\"rows\": 9999}' WHERE pos = 2"))
        _rehash_from(conn, 2)

    with secure_db.owner.connect() as conn:  # the chain alone is fooled by this one
        trans = conn.begin()
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        tamper(conn)
        assert audit.verify(conn).ok
        trans.rollback()
    verdict = _attempt(secure_db, signed, "rewrite a record and re-hash the rest", tamper)
    assert not verdict.ok and verdict.first_bad == signed.last_seq


def test_truncate_up_to_the_checkpoint(secure_db, signed) -> None:
    verdict = _attempt(secure_db, signed, "truncate (cut the end)",
                       _sql(f"DELETE FROM audit_log WHERE pos >= {signed.last_seq - 2}"))
    assert not verdict.ok and "truncated" in verdict.problem


def test_truncate_table(secure_db, signed) -> None:
    verdict = _attempt(secure_db, signed, "TRUNCATE audit_log", _sql("TRUNCATE audit_log"))
    assert not verdict.ok


def test_backdated_forgeries_after_the_checkpoint(secure_db, signed) -> None:
    verdict = _attempt(secure_db, signed, "append backdated forged records",
                       lambda conn: _append_forged(conn, 2, backdated=True))
    assert not verdict.ok and "dated before" in verdict.problem


def test_forgeries_appended_after_the_checkpoint_are_not_caught(secure_db, signed) -> None:
    """The limit of any checkpoint, said plainly: only the next checkpoint covers these."""
    verdict = _attempt(secure_db, signed, "append forged records after the anchor (dated after)",
                       lambda conn: _append_forged(conn, 2, backdated=False))
    assert verdict.ok


def test_deleting_records_after_the_checkpoint_is_not_caught(secure_db, signed) -> None:
    verdict = _attempt(secure_db, signed, "delete records after the checkpoint",
                       _sql(f"DELETE FROM audit_log WHERE pos > {signed.last_seq}"))
    assert verdict.ok


def test_an_altered_or_foreign_checkpoint_is_refused(secure_db, signed) -> None:
    moved = cp.Checkpoint(**{**signed.__dict__, "last_seq": 2, "count": 2})
    verdict = _attempt(secure_db, moved, "edit the checkpoint file", _sql(
        f"DELETE FROM audit_log WHERE pos > 2 AND pos <= {signed.last_seq}"))
    assert not verdict.ok and "altered" in verdict.problem
    other = Ed25519PrivateKey.generate()
    with secure_db.owner.connect() as conn:
        trans = conn.begin()
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_log"))
        forged = cp.make(conn, other)  # a fresh checkpoint over the emptied trail
        verdict = cp.verify(conn, forged, KEY.public_key())
        trans.rollback()
    RESULTS["sign a new checkpoint with another key"] = not verdict.ok
    assert not verdict.ok and "auditor's key" in verdict.problem


def test_tally(capsys) -> None:
    caught = sum(RESULTS.values())
    with capsys.disabled():
        print(f"\ncheckpoint tampering: {caught} of {len(RESULTS)} attempts detected")
        for name, ok in RESULTS.items():
            print(f"  {'caught' if ok else 'NOT caught'}: {name}")
    assert len(RESULTS) == 11 and caught == 9


def test_cli_checkpoint_then_verify_catches_deletion(secure_db, signed, memory_keyring,
                                                     tmp_path, capsys) -> None:
    """`console audit checkpoint` / `verify --checkpoint` as an auditor; commits its tampering,
    so it runs last in this module."""
    from console.cli import main

    url = secure_db.url.replace("postgres@", f"{secure_db.users[('auditor', 'A')]}@", 1)
    out = tmp_path / "trail.checkpoint"
    assert main(["--central", url, "audit", "checkpoint", "--out", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert {"last_seq", "last_hash", "count", "time", "signature"} <= set(saved)
    assert len(base64.b64decode(saved["signature"])) == 64
    assert any(k[0] == cp.KEY_SERVICE for k in memory_keyring.items)  # private key: keyring only
    assert "PRIVATE" not in out.read_text() + (tmp_path / "trail.checkpoint.pub").read_text()
    assert main(["--central", url, "audit", "verify", "--checkpoint", str(out)]) == 0
    assert "checkpoint holds" in capsys.readouterr().out
    with secure_db.owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    assert main(["--central", url, "audit", "verify", "--checkpoint", str(out),
                 "--public-key", str(tmp_path / "trail.checkpoint.pub")]) == 1
    assert "BROKEN" in capsys.readouterr().out
    with secure_db.owner.connect() as conn:  # the verify itself was traced, as an auditor read
        details = conn.scalars(text("SELECT details FROM audit_log")).all()
    assert [d["access"] for d in details] == ["audit_verify"]
    assert main(["--central", url, "audit", "search", "--text", "needle words"]) == 0
    with secure_db.owner.connect() as conn:
        searched = conn.execute(text("SELECT actor, details FROM audit_log ORDER BY pos")).all()
    assert searched[-1].details == {"access": "audit_search", "text": "needle words"}
    assert searched[-1].actor == secure_db.users[("auditor", "A")]
