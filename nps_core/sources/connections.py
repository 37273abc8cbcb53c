"""Where a source's connection details come from, and how they stay secret.

A source stores only a *reference*: `env:VAR` (an environment variable holds
the URL), `secret:NAME` (`[connections.NAME] url = "…"` in
`.streamlit/secrets.toml`, Streamlit's format), or a URL / file path without
a password (libpq then takes the password from PGPASSWORD or ~/.pgpass).
The resolved URL lives only in memory for one ATTACH; error messages are
scrubbed of it before anyone sees them.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nps_core.db.store import StoreError

KINDS = ("postgres", "sqlite", "duckdb", "parquet")
PREFIXES = {"sqlite:": "sqlite", "duckdb:": "duckdb", "parquet:": "parquet"}
SUFFIXES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".duckdb": "duckdb", ".parquet": "parquet"}
CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "nps_dashboard"  # how a DBA recognises our sessions in pg_stat_activity


class SourceError(StoreError):
    """A connected source cannot be read: unreachable, refused, changed."""


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS
    location: str  # libpq URL/DSN, or a file or folder path


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets: the project's folder, then the user's."""
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def _secret_connections() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in reversed(secrets_files()):  # the project's file wins
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SourceError(f"cannot read {path}: {exc}") from None
        for name, conf in (data.get("connections") or {}).items():
            if isinstance(conf, dict) and isinstance(conf.get("url"), str):
                found[name] = conf["url"]
    return found


def _looks_like_database(value: str) -> bool:
    return value.startswith(("postgres://", "postgresql://", *PREFIXES))


def configured() -> list[str]:
    """References of the connections set up on this machine: names only, never values.
    `secret:NAME` for each url in secrets.toml, `env:VAR` for each *_URL
    environment variable holding a database URL."""
    refs = [f"secret:{name}" for name in sorted(_secret_connections())]
    refs += [f"env:{var}" for var, value in sorted(os.environ.items())
             if var.endswith("_URL") and _looks_like_database(value)]
    return refs


def _has_password(location: str) -> bool:
    if "://" in location:
        return urlsplit(location).password is not None
    return re.search(r"(^|\s)password\s*=", location) is not None


def check_reference(ref: str) -> str:
    """The reference as it will be stored; a literal password is refused."""
    ref = ref.strip()
    if not ref:
        raise SourceError("no connection given: use env:VAR, secret:NAME, a URL or a file path")
    if not ref.startswith(("env:", "secret:")) and _has_password(ref):
        raise SourceError(
            "the URL holds a password, which is never stored: put the URL in an environment variable "
            "(--url env:VAR) or in .streamlit/secrets.toml (--url secret:NAME), or the password in PGPASSWORD"
        )
    return ref


def resolve(ref: str) -> str:
    """The URL or path a reference stands for (kept in memory only)."""
    if ref.startswith("env:"):
        var = ref[4:]
        value = os.environ.get(var)
        if not value:
            raise SourceError(f"the environment variable {var} is not set")
        return value
    if ref.startswith("secret:"):
        name = ref[7:]
        value = _secret_connections().get(name)
        if not value:
            raise SourceError(f"no [connections.{name}] url in .streamlit/secrets.toml")
        return value
    return ref


def target(ref: str) -> Target:
    """What kind of source a reference points at, and where."""
    location = resolve(ref).strip()
    if location.startswith(("postgres://", "postgresql://")) or re.search(r"(^|\s)(host|dbname)\s*=", location):
        return Target("postgres", _with_defaults(location))
    for prefix, kind in PREFIXES.items():
        if location.startswith(prefix):
            return Target(kind, location[len(prefix):])
    path = Path(location)
    if path.is_dir():
        return Target("parquet", location)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SourceError(
            f"cannot tell what {ref!r} is: use postgresql://…, sqlite:PATH, duckdb:PATH or parquet:PATH"
        )
    return Target(kind, location)


def _with_defaults(location: str) -> str:
    """A connect timeout (an unreachable host fails fast) and our application name."""
    extra = {"connect_timeout": str(CONNECT_TIMEOUT_S), "application_name": APPLICATION_NAME}
    if "://" in location:
        parts = urlsplit(location)
        query = dict(parse_qsl(parts.query))
        return urlunsplit(parts._replace(query=urlencode({**extra, **query})))
    given = set(re.findall(r"(\w+)\s*=", location))
    return location + "".join(f" {k}={v}" for k, v in extra.items() if k not in given)


def scrub(message: str, location: str | None = None) -> str:
    """One line without the connection string or its password."""
    text = re.sub(r'Unable to connect to Postgres at "[^"]*":\s*', "cannot connect: ", message)
    text = re.sub(r"^\w+ Error: ", "", text.strip())
    if location:
        text = text.replace(location, "<connection>")
        password = urlsplit(location).password if "://" in location else None
        if not password:
            m = re.search(r"(?:^|\s)password\s*=\s*(\S+)", location)
            password = m and m.group(1)
        if password:
            text = text.replace(password, "***")
    text = re.sub(r"://([^:/@\s]+):[^@\s]+@", r"://\1:***@", text)
    return " ".join(text.split("\n")[0].split())
