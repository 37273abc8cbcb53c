"""Notifications of critical responses: webhook (Slack, Teams) and e-mail, each sent once.

`run()` is what `python -m nps_core alerts --notify` does, from cron every
few minutes. The outbox table `alert_outbox` holds one row per alert (a
critical response × a channel), keyed by a deterministic alert id. Digests
(digest.py) and thank-you e-mails (thank.py) go through the same outbox,
as rows of their own `kind`, with `put()` and `deliver_due()`:

1. enqueue (one transaction): new critical responses of the last days become
   `pending` rows; a response already in the outbox is never queued again;
2. claim (one transaction): due rows become `sending` and their attempt is
   counted;
3. send, holding no database lock (the dashboard keeps reading);
4. mark, right after the receiver's answer: `sent`, or `failed` with the
   time of the next attempt (exponential back-off) — `gave_up` after
   MAX_ATTEMPTS. The outcome goes first to a journal beside the database
   (`<db>.<kinds>.journal`, flushed to disk) and then into the outbox; when
   another process holds the write lock just then, the journal keeps it
   and the next write of this run (or the next run) records it, so a
   delivered alert is never left `sending` and sent again.

A message that cannot be built or sent (a receiver that refuses it, an
address the e-mail library chokes on) fails alone, with its reason; the run
goes on. Header values are one line (no CR/LF: no header injection through
a touchpoint), and every send has a total deadline of NPS_ALERT_TIMEOUT
seconds, however slowly a receiver trickles its answer.

Only one run works at a time (an OS file lock beside the database, released
by the kernel when a run dies, even on SIGKILL), so a `sending` row found by
a run is one a dead run left behind, and it is sent again: nothing is lost.
The one window no sender can close is a crash after the receiver accepted a
message and before step 4 commits; then the message goes out a second time.
Step 4 follows each answer at once, so the window is milliseconds, and both
copies carry the same id (webhook header `Idempotency-Key`, e-mail
`Message-ID`), so a receiver or mail client can drop the repeat. Marking
sent *before* sending would close this window by losing alerts instead.

Configuration comes from environment variables or `.streamlit/secrets.toml`
(section [notify]); URLs and passwords are never printed, logged or stored
(errors are scrubbed of them).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import smtplib
import socket
import threading
import time
import tomllib
import urllib.parse
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path

import pandas as pd

from nps_core import ROOT
from nps_core.analysis.aggregates import data_range
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.i18n import DEFAULT_LANGUAGE, t
from nps_core.base.metrics import category
from nps_core.base.sql import insert_new_sql
from nps_core.db.errors import StoreBusy, retrying
from nps_core.db.store import Store
from nps_core.followup import alerts, loop

SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
MAX_ATTEMPTS = 8
BACKOFF = float(os.environ.get("NPS_ALERT_BACKOFF", "10"))  # seconds before the 2nd attempt; doubles
BACKOFF_CAP = 3600.0
TIMEOUT = float(os.environ.get("NPS_ALERT_TIMEOUT", "10"))  # seconds, all of one send
MARK_WAIT = 2.0  # seconds to wait for the write lock right after a send; the journal covers longer
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


@dataclass(frozen=True)
class Config:
    """Where alerts go. Secrets stay out of repr (and so out of logs)."""

    webhooks: dict[str, str] = field(default_factory=dict, repr=False)  # name -> URL
    webhook_formats: dict[str, str] = field(default_factory=dict)  # name -> text | slack | teams
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str | None = None
    smtp_tls: str = "none"  # none | starttls | ssl

    def configured(self, channel: str) -> bool:
        try:
            kind = alerts.channel_kind(channel)
        except ValueError:  # stored by an older version's looser check: its sends fail alone, saying why
            return True
        if kind == "email":
            return bool(self.smtp_host and self.smtp_from)
        return _webhook_name(channel) in self.webhooks

    def scrub(self, text: str) -> str:
        """`text` with every secret replaced, for error messages."""
        for secret in [*self.webhooks.values(), self.smtp_password]:
            if secret:
                text = text.replace(secret, "***")
        return text


def _webhook_name(channel: str) -> str:
    return channel.partition(":")[2] or "default"


def load_config(env=None, secrets_file: Path | None = None) -> Config:
    """Environment variables win over `.streamlit/secrets.toml` [notify]:
    NPS_WEBHOOK_URL (channel "webhook"), NPS_WEBHOOK_URL_<NAME> ("webhook:name"),
    NPS_SMTP_HOST, NPS_SMTP_PORT, NPS_SMTP_USER, NPS_SMTP_PASSWORD, NPS_SMTP_FROM,
    NPS_SMTP_TLS (none, starttls or ssl); NPS_WEBHOOK_FORMAT / NPS_WEBHOOK_FORMAT_<NAME>
    (text, slack or teams; [notify] webhook_format / [notify.webhook_formats])."""
    env = os.environ if env is None else env
    path = secrets_file or Path(env.get("NPS_SECRETS_FILE") or SECRETS_FILE)
    file = {}
    if path.exists():
        file = tomllib.loads(path.read_text(encoding="utf-8")).get("notify", {})
    webhooks = {str(k).lower(): v for k, v in file.get("webhooks", {}).items()}
    if file.get("webhook_url"):
        webhooks["default"] = file["webhook_url"]
    for key, value in env.items():
        if key == "NPS_WEBHOOK_URL" and value:
            webhooks["default"] = value
        elif key.startswith("NPS_WEBHOOK_URL_") and value:
            webhooks[key[len("NPS_WEBHOOK_URL_"):].lower()] = value

    def get(name):
        return env.get("NPS_SMTP_" + name.upper()) or file.get("smtp_" + name)

    formats = {str(k).lower(): str(v).lower() for k, v in file.get("webhook_formats", {}).items()}
    if file.get("webhook_format"):
        formats["default"] = str(file["webhook_format"]).lower()
    for key, value in env.items():
        if key == "NPS_WEBHOOK_FORMAT" and value:
            formats["default"] = value.lower()
        elif key.startswith("NPS_WEBHOOK_FORMAT_") and value:
            formats[key[len("NPS_WEBHOOK_FORMAT_"):].lower()] = value.lower()
    bad = {f for f in formats.values() if f not in WEBHOOK_FORMATS}
    if bad:
        raise ValueError(f"a webhook format must be one of {', '.join(WEBHOOK_FORMATS)}, not {sorted(bad)[0]!r}")
    tls = (get("tls") or "none").lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ValueError("NPS_SMTP_TLS must be none, starttls or ssl")
    return Config(webhooks=webhooks, webhook_formats=formats, smtp_host=get("host"), smtp_port=int(get("port") or (465 if tls == "ssl" else 25)),
                  smtp_user=get("user"), smtp_password=get("password"), smtp_from=get("from"), smtp_tls=tls)


# -- what an alert says -------------------------------------------------------
def alert_id(dataset: str, response_id: str, channel: str) -> str:
    return hashlib.sha256(f"{dataset}\x1f{response_id}\x1f{channel}".encode()).hexdigest()[:24]


def _text(value) -> str | None:
    """A text field of a frame row; None for SQL NULL (NaN / None in pandas)."""
    return value if isinstance(value, str) and value else None


def one_line(value: str) -> str:
    """A header value: control characters (CR, LF, tab …) become one space."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def message(row, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Subject (one line) and plain-text body of the alert about one response."""
    where = " · ".join(v for v in (_text(row.touchpoint), _text(row.product)) if v) or t(row.nps_type, lang)
    subject = one_line(t("alert_subject", lang, score=int(row.score), where=where))
    facts = [
        (t("alert_when", lang), row.responded_at.strftime("%Y-%m-%d %H:%M")),
        (t("score", lang), f"{int(row.score)} ({t(category(int(row.score)), lang)})"),
        (t("programme_type", lang), t(row.nps_type, lang)),
        *((t("dim_" + c, lang), _text(getattr(row, c))) for c in ("touchpoint", "product", "channel", "agent")
          if _text(getattr(row, c))),
        (t("customer_id", lang), _text(row.customer_id) or "–"),
        (t("alert_rule", lang), ", ".join(row.rules)),
        (t("alert_for", lang), ", ".join(row.recipients)),
        (t("dataset", lang) + " / id", f"{row.dataset} / {row.response_id}"),
    ]
    lines = [f"{k}: {v}" for k, v in facts]
    body = "\n".join(lines) + "\n\n" + t("alert_comment", lang) + ":\n" + (_text(row.comment) or "–")
    return subject, body


def _parts(body: str) -> tuple[list[tuple[str, str]], str, str]:
    """A message() body as its facts [(label, value)], the comment's label and the comment."""
    head, _, comment = body.partition("\n\n")
    label, _, text = comment.partition(":\n")
    facts = [tuple(line.split(": ", 1)) if ": " in line else ("", line) for line in head.splitlines()]
    return facts, label, text


def slack_blocks(subject: str, body: str) -> dict:
    """Slack Block Kit: a header, the facts as fields, the comment. Every
    value is a plain_text object, so nothing a customer wrote is read as
    mrkdwn or a mention; "text" is the notification's fallback."""
    facts, label, comment = _parts(body)
    fields = [{"type": "plain_text", "text": f"{k}: {v}"[:2000]} for k, v in facts][:10]  # Slack's limits
    return {"text": subject, "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": subject[:150]}},
        {"type": "section", "fields": fields},
        {"type": "section", "text": {"type": "plain_text", "text": f"{label}:\n{comment}"[:3000]}},
    ]}


def teams_card(subject: str, body: str) -> dict:
    """A Teams (Workflows) message with one Adaptive Card: the subject, the
    facts and the comment as TextRuns, which Teams never reads as Markdown."""
    facts, label, comment = _parts(body)

    def line(k, v):
        runs = ([{"type": "TextRun", "text": f"{k}: ", "weight": "Bolder"}] if k else []) + [{"type": "TextRun", "text": v}]
        return {"type": "RichTextBlock", "inlines": runs}

    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": [{"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": subject, "weight": "Bolder",
                                                            "size": "Medium"}]},
                     *(line(k, v) for k, v in facts), line(label, comment)]}
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}


WEBHOOK_FORMATS = ("text", "slack", "teams")


def webhook_json(subject: str, body: str, fmt: str = "text") -> dict:
    """The webhook's JSON in its format: Slack Block Kit, a Teams Adaptive
    Card, or {"text": ...} (accepted by Slack and Teams incoming webhooks;
    Slack requires &, < and > escaped; the comment sits in a code block so
    Markdown in it is shown literally)."""
    if fmt == "slack":
        return slack_blocks(subject, body)
    if fmt == "teams":
        return teams_card(subject, body)
    head, _, comment = body.partition("\n\n")
    label, _, text = comment.partition(":\n")
    text = text.replace("```", "'''")
    plain = f"*{subject}*\n{head}\n{label}:\n```{text}```"
    return {"text": plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}


# -- delivery -----------------------------------------------------------------
class _Deadline:
    """A total time limit on one send. Socket timeouts bound each read, not
    the whole exchange (a receiver sending one byte every few seconds never
    trips them), so at the deadline the connection's socket is shut down,
    which wakes the blocked read; the send then fails as timed out."""

    def __init__(self, seconds: float, socket_of):
        self.seconds, self.expired = seconds, False
        self._socket_of = socket_of  # the connection's socket once it exists (None before)
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self):
        self.expired = True
        sock = self._socket_of()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, kind, exc, tb):
        self._timer.cancel()
        if exc is not None and self.expired:
            raise TimeoutError(f"no complete answer within {self.seconds:g} s") from exc
        return False


class _Refused(Exception):
    """The receiver answered, and said no."""


def send_webhook(cfg: Config, channel: str, aid: str, subject: str, body: str) -> None:
    url = urllib.parse.urlsplit(cfg.webhooks[_webhook_name(channel)])
    conn = (HTTPSConnection if url.scheme == "https" else HTTPConnection)(url.hostname, url.port, timeout=TIMEOUT)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    payload = webhook_json(subject, body, cfg.webhook_formats.get(_webhook_name(channel), "text"))
    try:
        with _Deadline(TIMEOUT, lambda: conn.sock):
            conn.request("POST", path, body=json.dumps(payload).encode(),
                         headers={"Content-Type": "application/json", "Idempotency-Key": aid})
            resp = conn.getresponse()
            resp.read()
    finally:
        conn.close()
    if resp.status >= 300:
        raise _Refused(f"HTTP {resp.status}")


def send_email(cfg: Config, to: str, aid: str, subject: str, body: str, html: str | None = None,
               attachment: tuple[str, bytes] | None = None) -> None:
    msg = EmailMessage()
    # one line each, also for rows queued by a version that did not clean the subject
    msg["From"], msg["To"], msg["Subject"] = one_line(cfg.smtp_from), one_line(to), one_line(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = f"<{aid}@nps-dashboard>"  # the same on a repeat: mail clients drop it
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    smtp = (smtplib.SMTP_SSL if cfg.smtp_tls == "ssl" else smtplib.SMTP)(timeout=TIMEOUT)
    try:
        # connect() inside the deadline: it reads the greeting, which may trickle too
        with _Deadline(TIMEOUT, lambda: getattr(smtp, "sock", None)):
            smtp.connect(cfg.smtp_host, cfg.smtp_port)
            if cfg.smtp_tls == "starttls":
                smtp.starttls()
            if cfg.smtp_user:
                smtp.login(cfg.smtp_user, cfg.smtp_password or "")
            smtp.send_message(msg)
            smtp.quit()
    finally:
        smtp.close()


def deliver(cfg: Config, channel: str, aid: str, subject: str, body: str, html: str | None = None,
            attachment: tuple[str, bytes] | None = None) -> str | None:
    """Send one message; None on success, else the (scrubbed) reason. Whatever
    goes wrong with this one message (also in building it) is its failure
    alone, never the run's."""
    try:
        if alerts.channel_kind(channel) == "email":
            send_email(cfg, channel, aid, subject, body, html, attachment)
        else:
            send_webhook(cfg, channel, aid, subject, body)
    except _Refused as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        return cfg.scrub(f"{type(exc).__name__}: {exc}")[:300]
    return None


# -- the outbox ---------------------------------------------------------------
def candidates(store: Store, dataset: str | None, days: int) -> pd.DataFrame:
    """Alerts not in the outbox yet: critical responses of the `days` days up
    to the dataset's latest response, one row per channel of the rules that fired."""
    rng = data_range(store, dataset)
    if rng is None:
        return pd.DataFrame()
    filters = Filters(dataset=dataset, date_from=rng[1] - dt.timedelta(days=days), date_to=rng[1])
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        sql, params = alerts.matches_sql(con, sc.dataset, where, params, alerts.read_rules(con, active_only=True))
        df = con.execute(
            f"""SELECT r.dataset, r.response_id, r.responded_at, r.score, r.comment, r.nps_type, r.touchpoint,
                       r.product, r.channel, r.agent, r.customer_id, a.channel AS send_to,
                       list(DISTINCT a.name ORDER BY a.name) AS rules,
                       list(DISTINCT a.recipient ORDER BY a.recipient) AS recipients
                FROM ({sql}) m JOIN alert_rules a USING (rule_id)
                JOIN responses r ON r.dataset = ? AND r.response_id = m.response_id
                GROUP BY ALL ORDER BY r.responded_at, r.response_id, send_to""",
            [*params, sc.dataset],
        ).df()
        sent = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE dataset = ?", [sc.dataset]).fetchall()}
    if df.empty:
        return df
    df["alert_id"] = [alert_id(d, r, c) for d, r, c in zip(df["dataset"], df["response_id"], df["send_to"])]
    return df[~df["alert_id"].isin(sent)].reset_index(drop=True)


@retrying
def enqueue(store: Store, new: pd.DataFrame, now: dt.datetime) -> int:
    rows = pd.DataFrame([
        {"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id, "channel": r.send_to,
         "recipients": ", ".join(r.recipients), "rules": ", ".join(r.rules), **dict(zip(("subject", "body"), message(r)))}
        for r in new.itertuples()
    ])
    return put(store, rows, "alert", now)


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


def _due(kinds: tuple[str, ...], channels: list[str] | None) -> tuple[str, list]:
    """Rows of these kinds to send now (of `channels` only, unless None).
    Under the run lock of these kinds every 'sending' row was left by a dead
    run: send it again."""
    where = f"coalesce(kind, 'alert') IN ({', '.join('?' for _ in kinds)})"
    params: list = list(kinds)
    if channels is not None:
        where += f" AND channel IN ({', '.join('?' for _ in channels) or 'NULL'})"
        params += list(channels)
    return where, params


@retrying
def claim(store: Store, channels: list[str] | None, now: dt.datetime, kinds: tuple[str, ...] = ("alert",)) -> list[tuple]:
    """Record the outcomes the journal of these kinds still holds, then mark
    the due messages `sending` (one transaction)."""
    where, params = _due(kinds, channels)
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


def _listing(df: pd.DataFrame) -> list[dict]:
    return [{"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id,
             "responded_at": r.responded_at.isoformat(sep=" "), "score": int(r.score), "channel": r.send_to,
             "recipients": list(r.recipients), "rules": list(r.rules)} for r in df.itertuples()]


def escalation_candidates(store: Store, dataset: str | None, days: int, now: dt.datetime) -> pd.DataFrame:
    """Escalations not in the outbox yet: overdue cases (loop.escalations) x
    their rules' escalation channels."""
    df = loop.escalations(store, dataset, days, now)
    if df.empty:
        return df
    df["alert_id"] = [alert_id(d, r, "escalate:" + c) for d, r, c in zip(df["dataset"], df["response_id"], df["send_to"])]
    with store.read() as con:
        queued = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE kind = 'escalation'").fetchall()}
    return df[~df["alert_id"].isin(queued)].reset_index(drop=True)


def escalation_message(row, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """The alert about the response, headed by the deadline that passed."""
    subject, body = message(row, lang)
    due = t("escalation_due", lang, deadline=row.deadline.strftime("%Y-%m-%d %H:%M"))
    return t("escalation_subject", lang, subject=subject), due + "\n" + body


def enqueue_escalations(store: Store, new: pd.DataFrame, now: dt.datetime) -> int:
    rows = pd.DataFrame([
        {"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id, "channel": r.send_to,
         "recipients": ", ".join(r.recipients), "rules": ", ".join(r.rules),
         **dict(zip(("subject", "body"), escalation_message(r)))}
        for r in new.itertuples()
    ])
    return put(store, rows, "escalation", now)


def _split(df: pd.DataFrame, cfg: Config) -> tuple[pd.DataFrame, dict]:
    """The rows whose channel is configured, and a count per channel that is not."""
    if df.empty:
        return df, {}
    configured = df["send_to"].map(cfg.configured)
    return df[configured], df[~configured]["send_to"].value_counts().to_dict()


def run(store: Store, dataset: str | None = None, days: int = 7, dry_run: bool = False,
        cfg: Config | None = None, wait: float = 60.0) -> dict:
    """Queue the new critical responses and the escalations of overdue cases,
    and deliver everything due; retry failures with back-off for up to
    `wait` seconds, later runs go on."""
    cfg = cfg or load_config()
    store.ensure_schema()
    ready, unconfigured = _split(candidates(store, dataset, days), cfg)
    late, late_unconfigured = _split(escalation_candidates(store, dataset, days, dt.datetime.now()), cfg)
    for channel, n in late_unconfigured.items():
        unconfigured[channel] = unconfigured.get(channel, 0) + n
    if dry_run:
        return {"dry_run": True, "would_send": _listing(ready), "would_escalate": _listing(late),
                "unconfigured": unconfigured}
    channels = sorted(c for c in _outbox_channels(store) | set(ready.get("send_to", [])) | set(late.get("send_to", []))
                      if cfg.configured(c))
    with run_lock(store):
        queued = enqueue(store, ready, dt.datetime.now())
        escalated = enqueue_escalations(store, late, dt.datetime.now())
        outcome = deliver_due(store, cfg, ("alert", "escalation"), channels, wait)
        unrecorded = len(Journal(store, ("alert", "escalation")).entries())  # the next run records them
    return {"dry_run": False, "queued": queued, "escalations": escalated, **counts(outcome),
            "unconfigured": unconfigured, "unrecorded": unrecorded,
            "alerts": [{"alert_id": k, "status": v} for k, v in outcome.items()]}


def counts(outcome: dict[str, str]) -> dict[str, int]:
    return {s: sum(1 for v in outcome.values() if v == s) for s in ("sent", "failed", "gave_up")}


def deliver_due(store: Store, cfg: Config, kinds: tuple[str, ...], channels: list[str] | None,
                wait: float) -> dict[str, str]:
    """Send every due message of these kinds (and channels, unless None),
    marking each right after the receiver's answer; retry failures with
    back-off for up to `wait` seconds. Call under the kinds' run_lock.
    Returns {alert_id: status} of what was tried."""
    outcome: dict[str, str] = {}
    deadline = time.monotonic() + wait
    while True:
        for aid, channel, subject, body, attempts, html, att_name, att in claim(store, channels, dt.datetime.now(), kinds):
            error = deliver(cfg, channel, aid, subject, body, html, (att_name, att) if att is not None else None)
            outcome[aid] = mark(store, aid, attempts, error, kinds)
        try:
            retry_at = _next_retry(store, kinds, channels)
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


def _outbox_channels(store: Store) -> set[str]:
    with store.read() as con:
        return {r[0] for r in con.execute(
            "SELECT DISTINCT channel FROM alert_outbox WHERE status IN ('pending', 'sending', 'failed') "
            "AND coalesce(kind, 'alert') IN ('alert', 'escalation')").fetchall()}


def _next_retry(store: Store, kinds: tuple[str, ...], channels: list[str] | None) -> dt.datetime | None:
    where, params = _due(kinds, channels)
    with store.read() as con:
        return con.execute(
            f"SELECT min(next_attempt_at) FROM alert_outbox WHERE status = 'failed' AND {where}", params,
        ).fetchone()[0]


def outbox(store: Store, dataset: str | None = None, kind: str = "alert") -> pd.DataFrame:
    """The record of messages of one kind (no message text), newest first."""
    store.ensure_schema()
    with store.read() as con:
        return con.execute(
            "SELECT alert_id, dataset, response_id, channel, recipients, rules, status, attempts, created_at, "
            "sent_at, last_error FROM alert_outbox WHERE (? IS NULL OR dataset = ?) AND coalesce(kind, 'alert') = ? "
            "ORDER BY created_at DESC, alert_id",
            [dataset, dataset, kind],
        ).df()
