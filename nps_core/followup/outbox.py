"""The outbox: every message the engine sends (critical alerts and
escalations, digests, thank-you e-mails, spikes) as a row of `alert_outbox`,
keyed by a deterministic id, and delivered exactly once:

1. put (one transaction): a message whose id is queued already is left as it
   is, so queuing the same message twice sends it once;
2. claim (one transaction): due rows become `sending` and their attempt is
   counted;
3. send (channels.deliver), holding no database lock (the dashboard keeps reading);
4. mark, right after the receiver's answer: `sent`, or `failed` with the
   time of the next attempt (exponential back-off) — `gave_up` after
   MAX_ATTEMPTS. The outcome goes first to a journal beside the database
   (`<db>.<kinds>.journal`, flushed to disk) and then into the outbox; when
   another process holds the write lock just then, the journal keeps it
   and the next write of this run (or the next run) records it, so a
   delivered message is never left `sending` and sent again.

A message that cannot be built or sent fails alone, with its reason; the run
goes on. Only one run of each kind works at a time (run_lock: an OS file lock
beside the database, released by the kernel when a run dies, even on
SIGKILL), so a `sending` row found by a run is one a dead run left behind,
and it is sent again: nothing is lost. The one window no sender can close is
a crash after the receiver accepted a message and before step 4 commits; then
the message goes out a second time. Step 4 follows each answer at once, so
the window is milliseconds, and both copies carry the same id (webhook header
`Idempotency-Key`, e-mail `Message-ID`), so a receiver or mail client can drop
the repeat. Marking sent *before* sending would close this window by losing
messages instead.
"""


from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import json
import os
import time
from pathlib import Path

import pandas as pd

from nps_core.base.sql import insert_new_sql
from nps_core.db.errors import StoreBusy, retrying
from nps_core.db.store import Store
from nps_core.followup import channels

MAX_ATTEMPTS = 8
BACKOFF = float(os.environ.get("NPS_ALERT_BACKOFF", "10"))  # seconds before the 2nd attempt; doubles
BACKOFF_CAP = 3600.0
MARK_WAIT = 2.0  # seconds to wait for the write lock right after a send; the journal covers longer


OUTBOX_COLUMNS = ("alert_id", "dataset", "response_id", "channel", "recipients", "rules", "subject", "body",
                  "html", "attachment", "attachment_name")


def put(store: Store, rows: pd.DataFrame, kind: str, now: dt.datetime) -> int:
    """Queue messages of one kind (a frame with OUTBOX_COLUMNS; html and the
    attachment optional); a row whose alert_id is queued already is left as it
    is, so queuing the same message twice sends it once. Returns how many are new."""
    if rows.empty:
        return 0
    rows = rows.reindex(columns=OUTBOX_COLUMNS)
    with store.write() as con:
        con.register("new_messages", rows)
        return con.execute(
            insert_new_sql("alert_outbox", (*OUTBOX_COLUMNS, "kind", "status", "attempts", "created_at"),
                           "SELECT *, ? AS kind, 'pending' AS status, 0 AS attempts, ? AS created_at FROM new_messages",
                           ("alert_id",)), [kind, now],
        ).fetchone()[0]


def _due(kinds: tuple[str, ...], targets: list[str] | None) -> tuple[str, list]:
    """Rows of these kinds to send now (of `targets` only, unless None).
    Under the run lock of these kinds every 'sending' row was left by a dead
    run: send it again."""
    where = f"coalesce(kind, 'alert') IN ({', '.join('?' for _ in kinds)})"
    params: list = list(kinds)
    if targets is not None:
        where += f" AND channel IN ({', '.join('?' for _ in targets) or 'NULL'})"
        params += list(targets)
    return where, params


@retrying
def claim(store: Store, targets: list[str] | None, now: dt.datetime, kinds: tuple[str, ...] = ("alert",)) -> list[tuple]:
    """Record the outcomes the journal of these kinds still holds, then mark
    the due messages `sending` (one transaction)."""
    where, params = _due(kinds, targets)
    where += " AND (status IN ('pending', 'sending') OR (status = 'failed' AND next_attempt_at <= ?))"
    journal = Journal(store, kinds)
    with store.write() as con, store.transaction(con):  # select, then update: DuckLake has no RETURNING
        journal.apply(con)  # in the same transaction: a delivered message is `sent` before anything is claimed
        rows = con.execute(f"SELECT alert_id, channel, subject, body, attempts + 1, html, attachment_name, attachment "
                           f"FROM alert_outbox WHERE {where}", [*params, now]).fetchall()
        con.execute(f"UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ? "
                    f"WHERE {where}", [now, *params, now])
    journal.clear()
    return rows


class Journal:
    """Outcomes of sends, on disk before they are in the outbox.

    One JSON line per answer, flushed and fsync'd, beside the database. Only
    the run holding the run lock touches it. An entry applies to the claim
    it answers (same alert, same attempt, still `sending`), so applying it
    twice, or after a crash between recording and clearing, changes nothing.
    """

    def __init__(self, store: Store, kinds: tuple[str, ...]):
        # one journal per group of kinds delivered together, as each has its own run lock
        self.path = Path(f"{store.path}.{'-'.join(kinds)}.journal")

    def add(self, aid: str, attempts: int, status: str, at: dt.datetime, next_at: dt.datetime | None,
            error: str | None) -> None:
        line = json.dumps({"alert_id": aid, "attempts": attempts, "status": status, "at": at.isoformat(),
                           "next_at": next_at and next_at.isoformat(), "error": error})
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def entries(self) -> list[dict]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            with contextlib.suppress(ValueError):  # a line torn by a crash: its alert is still `sending`
                out.append(json.loads(line))
        return out

    def apply(self, con) -> None:
        for e in self.entries():
            con.execute(
                """UPDATE alert_outbox SET status = ?, sent_at = CASE WHEN ? = 'sent' THEN ?::TIMESTAMP END,
                       next_attempt_at = ?::TIMESTAMP, last_error = ?
                   WHERE alert_id = ? AND attempts = ? AND status = 'sending'""",
                [e["status"], e["status"], e["at"], e["next_at"], e["error"], e["alert_id"], e["attempts"]],
            )

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def record(self, store: Store) -> bool:
        """Move every entry into the outbox; False (entries kept) when the
        write lock did not come within the store's lock timeout."""
        if not self.path.exists():
            return True
        try:
            with store.write() as con:
                self.apply(con)
        except StoreBusy:
            return False
        self.clear()
        return True


def mark(store: Store, aid: str, attempts: int, error: str | None, kinds: tuple[str, ...] = ("alert",)) -> str:
    """Record one answer: in the journal at once, in the outbox when the
    write lock comes within MARK_WAIT seconds (else at the next claim)."""
    now = dt.datetime.now()
    next_at = None
    if error is None:
        status = "sent"
    else:
        status = "gave_up" if attempts >= MAX_ATTEMPTS else "failed"
        next_at = now + dt.timedelta(seconds=min(BACKOFF * 2 ** (attempts - 1), BACKOFF_CAP))
    journal = Journal(store, kinds)
    journal.add(aid, attempts, status, now, next_at, error)
    quick = copy.copy(store)  # the same store (file or DuckLake), less patient
    quick.lock_timeout = min(store.lock_timeout, MARK_WAIT)
    journal.record(quick)  # busy, or a conflict (a StoreConflict is a StoreBusy): the journal keeps it
    return status


@contextlib.contextmanager
def run_lock(store: Store, name: str = "alerts"):
    """One run of each kind (alerts, digest, thank) per database at a time;
    the kernel drops the lock when the process ends, however it ends."""
    store.path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(store.path) + f".{name}.lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(f"another {name} run is in progress on this database; this one did nothing") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def counts(outcome: dict[str, str]) -> dict[str, int]:
    return {s: sum(1 for v in outcome.values() if v == s) for s in ("sent", "failed", "gave_up")}


def deliver_due(store: Store, cfg: channels.Config, kinds: tuple[str, ...], targets: list[str] | None,
                wait: float) -> dict[str, str]:
    """Send every due message of these kinds (and targets, unless None),
    marking each right after the receiver's answer; retry failures with
    back-off for up to `wait` seconds. Call under the kinds' run_lock.
    Returns {alert_id: status} of what was tried."""
    outcome: dict[str, str] = {}
    deadline = time.monotonic() + wait
    while True:
        for aid, channel, subject, body, attempts, html, att_name, att in claim(store, targets, dt.datetime.now(), kinds):
            error = channels.deliver(cfg, channel, aid, subject, body, html, (att_name, att) if att is not None else None)
            outcome[aid] = mark(store, aid, attempts, error, kinds)
        try:
            retry_at = _next_retry(store, kinds, targets)
        except StoreBusy:  # another process holds the store: the retries wait for the next run
            break
        if retry_at is None:
            break
        pause = (retry_at - dt.datetime.now()).total_seconds()
        if time.monotonic() + pause > deadline:
            break
        time.sleep(max(pause, 0))
    Journal(store, kinds).record(store)  # what the quick attempts could not record; else the next run
    return outcome


def _next_retry(store: Store, kinds: tuple[str, ...], targets: list[str] | None) -> dt.datetime | None:
    where, params = _due(kinds, targets)
    with store.read() as con:
        return con.execute(
            f"SELECT min(next_attempt_at) FROM alert_outbox WHERE status = 'failed' AND {where}", params,
        ).fetchone()[0]


def messages(store: Store, dataset: str | None = None, kind: str = "alert") -> pd.DataFrame:
    """The record of messages of one kind (no message text), newest first."""
    store.ensure_schema()
    with store.read() as con:
        return con.execute(
            "SELECT alert_id, dataset, response_id, channel, recipients, rules, status, attempts, created_at, "
            "sent_at, last_error FROM alert_outbox WHERE (? IS NULL OR dataset = ?) AND coalesce(kind, 'alert') = ? "
            "ORDER BY created_at DESC, alert_id",
            [dataset, dataset, kind],
        ).df()


