"""Where a message goes and how: the notification channels (e-mail over SMTP,
webhooks in Slack, Teams or plain JSON), their configuration and one send
each. A channel is declared once in CHANNELS (how it is sent, whether it is
configured); the outbox (outbox.py) delivers through deliver().

Configuration comes from environment variables or `.streamlit/secrets.toml`
(section [notify]); URLs and passwords are never printed, logged or stored
(errors are scrubbed of them). Header values are one line (no CR/LF: no header
injection through a touchpoint), and every send has a total deadline of
NPS_ALERT_TIMEOUT seconds, however slowly a receiver trickles its answer.
"""


from __future__ import annotations

import contextlib
import json
import os
import re
import smtplib
import socket
import threading
import tomllib
import urllib.parse
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path
from typing import Callable

from nps_core import ROOT
from nps_core.followup import alerts

SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
TIMEOUT = float(os.environ.get("NPS_ALERT_TIMEOUT", "10"))  # seconds, all of one send
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
        return CHANNELS[kind].configured(self, channel)

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


def one_line(value: str) -> str:
    """A header value: control characters (CR, LF, tab …) become one space."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


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


def send_webhook(cfg: Config, channel: str, aid: str, subject: str, body: str, html: str | None = None,
                 attachment: tuple[str, bytes] | None = None) -> None:
    """POST the message to the channel's webhook (a webhook carries no HTML part or attachment)."""
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




@dataclass(frozen=True)
class Channel:
    """A kind of channel (alerts.channel_kind): how a message is sent, and whether it is set up."""

    send: Callable[..., None]  # (cfg, channel, alert id, subject, body, html, attachment)
    configured: Callable[[Config, str], bool]


CHANNELS = {
    "email": Channel(lambda cfg, to, *message: send_email(cfg, to, *message),
                     lambda cfg, channel: bool(cfg.smtp_host and cfg.smtp_from)),
    "webhook": Channel(send_webhook, lambda cfg, channel: _webhook_name(channel) in cfg.webhooks),
}


def deliver(cfg: Config, channel: str, aid: str, subject: str, body: str, html: str | None = None,
            attachment: tuple[str, bytes] | None = None) -> str | None:
    """Send one message; None on success, else the (scrubbed) reason. Whatever
    goes wrong with this one message (also in building it) is its failure
    alone, never the run's."""
    try:
        CHANNELS[alerts.channel_kind(channel)].send(cfg, channel, aid, subject, body, html, attachment)
    except _Refused as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        return cfg.scrub(f"{type(exc).__name__}: {exc}")[:300]
    return None
