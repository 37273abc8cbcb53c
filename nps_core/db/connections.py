"""Where a source's connection details come from, and how they stay secret.

A source stores only a *reference*: `env:VAR` (an environment variable holds
the URL; only variables named NPS_SOURCE_URL…, so a reference cannot read
any other variable of the server, such as a webhook URL), `secret:NAME`
(`[connections.NAME] url = "…"` in `.streamlit/secrets.toml`, Streamlit's
format), or a URL / file path without a password (libpq then takes the
password from PGPASSWORD or ~/.pgpass). The resolved URL lives only in
memory for one ATTACH; error messages are scrubbed of it before anyone sees
them, and never quote what a variable or secret holds.

Files (SQLite, DuckDB, Parquet) are read only from the folders listed in
NPS_SOURCE_DIRS (none: no file sources), never from the store's own folder,
after resolving symlinks and `..`. PostgreSQL sessions get a statement
timeout (NPS_SOURCE_TIMEOUT seconds, default 30) and read-only transactions.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from nps_core import DEFAULT_DB
from nps_core.db.errors import StoreError

KINDS = ("postgres", "sqlite", "duckdb", "parquet")
PREFIXES = {"sqlite:": "sqlite", "duckdb:": "duckdb", "parquet:": "parquet"}
SUFFIXES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".duckdb": "duckdb", ".parquet": "parquet"}
CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "nps_dashboard"  # how a DBA recognises our sessions in pg_stat_activity
ENV_PREFIX = "NPS_SOURCE_URL"  # env:VAR works for these variables only
DIRS_VAR, TIMEOUT_VAR = "NPS_SOURCE_DIRS", "NPS_SOURCE_TIMEOUT"


class SourceError(StoreError):
    """A connected source cannot be read: unreachable, refused, changed."""


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS
    location: str  # libpq URL/DSN, or a file or folder path
    label: str = ""  # how messages name a file: as typed, or by its env:/secret: reference


def secrets_files() -> list[Path]:
    """Where Streamlit looks for secrets: the project's folder, then the user's."""
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def _secret_tables() -> dict[str, dict]:
    """The `[connections.NAME]` tables of secrets.toml, by name."""
    found: dict[str, dict] = {}
    for path in reversed(secrets_files()):  # the project's file wins
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SourceError(f"cannot read {path}: {exc}") from None
        for name, conf in (data.get("connections") or {}).items():
            if isinstance(conf, dict):
                found.setdefault(name, {}).update(conf)
    return found


def _secret_connections() -> dict[str, str]:
    return {name: conf["url"] for name, conf in _secret_tables().items() if isinstance(conf.get("url"), str)}


def _looks_like_database(value: str) -> bool:
    return value.startswith(("postgres://", "postgresql://", *PREFIXES))


def configured() -> list[str]:
    """References of the connections set up on this machine: names only, never values.
    `secret:NAME` for each url in secrets.toml, `env:VAR` for each NPS_SOURCE_URL…
    environment variable holding a database URL."""
    refs = [f"secret:{name}" for name in sorted(_secret_connections())]
    refs += [f"env:{var}" for var, value in sorted(os.environ.items())
             if var.startswith(ENV_PREFIX) and _looks_like_database(value)]
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


def resolve(ref: str, any_variable: bool = False) -> str:
    """The URL or path a reference stands for (kept in memory only). A source's
    env: reference (anyone who may add a source writes one) names only an
    NPS_SOURCE_URL… variable; `any_variable` is for the server's own
    configuration (the DuckLake store spec), which may also name one field of
    a secret, `secret:NAME.FIELD` (`[connections.NAME] FIELD`: an object
    storage's key and secret)."""
    if ref.startswith("env:"):
        var = ref[4:]
        if not any_variable and not var.startswith(ENV_PREFIX):
            raise SourceError(f"env: only reads variables named {ENV_PREFIX}… (e.g. env:{ENV_PREFIX}_CRM), "
                              f"not {var}")
        value = os.environ.get(var)
        if not value:
            raise SourceError(f"the environment variable {var} is not set")
        return value
    if ref.startswith("secret:"):
        name, key = ref[7:], "url"
        if any_variable and "." in name:  # secret:NAME.FIELD: object-storage keys beside a url
            name, key = name.split(".", 1)
        value = _secret_tables().get(name, {}).get(key)
        if not isinstance(value, str) or not value:
            raise SourceError(f"no [connections.{name}] {key} in .streamlit/secrets.toml")
        return value
    return ref


def target(ref: str) -> Target:
    """What kind of source a reference points at, and where (a file source
    only inside the allowed folders)."""
    location = resolve(ref).strip()
    if location.startswith(("postgres://", "postgresql://")) or re.search(r"(^|\s)(host|dbname)\s*=", location):
        return Target("postgres", _with_defaults(location))
    for prefix, kind in PREFIXES.items():
        if location.startswith(prefix):
            return Target(kind, allowed_file(location[len(prefix):], ref), shown(ref, location))
    label = shown(ref, location)
    path = Path(allowed_file(location, ref))  # first: nothing is said about files outside the allowed folders
    if path.is_dir():
        return Target("parquet", str(path), label)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SourceError(
            f"cannot tell what {ref!r} is: use postgresql://…, sqlite:PATH, duckdb:PATH or parquet:PATH"
        )
    return Target(kind, str(path), label)


def shown(ref: str, location: str) -> str:
    """How a message may name a file: as typed, or by its reference when a
    variable or secret holds it (their values are never shown)."""
    return ref if ref.startswith(("env:", "secret:")) else location


def source_dirs() -> list[Path]:
    """The folders file sources may come from (NPS_SOURCE_DIRS, separated by
    the OS path separator), resolved."""
    return [Path(p).expanduser().resolve() for p in os.environ.get(DIRS_VAR, "").split(os.pathsep) if p.strip()]


def allowed_file(location: str, ref: str) -> str:
    """`location` resolved (symlinks, ..), if it lies inside an allowed folder
    and outside the store's folder; SourceError saying how to allow it otherwise."""
    dirs = source_dirs()
    if not dirs:
        raise SourceError(f"file sources are switched off: set {DIRS_VAR} to the folder(s) they may be read "
                          f"from (several separated by '{os.pathsep}') and restart the dashboard")
    path = Path(location).expanduser().resolve()
    outside_store(path, shown(ref, location), Path(os.environ.get("NPS_DB") or DEFAULT_DB))
    if not any(path == d or d in path.parents for d in dirs):
        raise SourceError(f"{shown(ref, location)} is outside the folders allowed for file sources ({DIRS_VAR})")
    return str(path)


def outside_store(path: Path, label: str, store_path: Path) -> None:
    """Refuse a file in the store's folder (the store itself, its write-ahead
    log, the demo) and a Parquet folder that is or holds that folder."""
    store_dir = store_path.expanduser().resolve().parent
    inside = path == store_dir or path in store_dir.parents if path.is_dir() else path.parent == store_dir
    if inside:
        raise SourceError(f"{label} lies in the dashboard's own data folder, which is never a source")


def timeout_s() -> float:
    """Longest a PostgreSQL statement of ours may run (NPS_SOURCE_TIMEOUT, seconds)."""
    try:
        value = float(os.environ.get(TIMEOUT_VAR) or 30)
    except ValueError:
        raise SourceError(f"{TIMEOUT_VAR} must be a number of seconds") from None
    if value <= 0:
        raise SourceError(f"{TIMEOUT_VAR} must be a number of seconds above 0")
    return value


def _with_defaults(location: str) -> str:
    """A connect timeout (an unreachable host fails fast), our application name,
    and server settings that bound and guard every session: a statement
    timeout and read-only transactions (appended to the URL's own options,
    so they win)."""
    extra = {"connect_timeout": str(CONNECT_TIMEOUT_S), "application_name": APPLICATION_NAME}
    ours = f"-c statement_timeout={int(timeout_s() * 1000)} -c default_transaction_read_only=on"
    if "://" in location:
        parts = urlsplit(location)
        query = dict(parse_qsl(parts.query))
        query["options"] = f"{query['options']} {ours}" if query.get("options") else ours
        return urlunsplit(parts._replace(query=urlencode({**extra, **query}, quote_via=quote)))
    given = set(re.findall(r"(\w+)\s*=", location))
    m = re.search(r"(?:^|\s)options\s*=\s*'((?:[^'\\]|\\.)*)'", location)
    if m:  # keyword/value form with options already: ours go inside the same quotes
        location = location[:m.start(1)] + m.group(1) + " " + ours + location[m.end(1):]
    elif "options" in given:
        raise SourceError("put the connection's options in quotes: options='-c …'")
    else:
        location += f" options='{ours}'"
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
