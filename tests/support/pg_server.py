"""A throw-away PostgreSQL server for the tests (and the benchmark).

Debian's `postgresql` package (run-tests.sh installs it): initdb a cluster in a
temporary folder, start it on a free port on 127.0.0.1, log every statement
with its application name (the read-only proof reads that log), stop it and
delete the folder at the end. PostgreSQL refuses to run as root, so as root
the server runs as the `postgres` user (or `nobody`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import duckdb

from nps_core.sources.attach import load_extension

ADMIN, ADMIN_PASSWORD = "admin", "admin-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (run-tests.sh does)")
    return Path(found[-1]).parent


class PgServer:
    def __init__(self):
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="nps-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._as = []
        if os.geteuid() == 0:  # the server will not run as root
            user = "postgres" if _user_exists("postgres") else "nobody"
            self._as = ["runuser", "-u", user, "--"]
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, user)
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        if self._as:
            shutil.chown(pwfile, self._as[2])
        self._run("initdb", "-D", str(self.data), "-U", ADMIN, f"--pwfile={pwfile}", "-A", "scram-sha-256",
                  "-E", "UTF8", "--locale=C", "-N")
        pwfile.unlink()
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as, str(self.bin / tool), *args], check=True, cwd=self.root,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c log_statement=all -c log_line_prefix='app=%a '")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, user: str = ADMIN, password: str | None = ADMIN_PASSWORD, db: str = "postgres") -> str:
        auth = f"{user}:{password}" if password is not None else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{db}"

    def create_database(self, name: str) -> None:
        """A new, empty database (CREATE DATABASE cannot run in the transaction postgres_execute opens)."""
        subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ADMIN, name],
                       check=True, env={**os.environ, "PGPASSWORD": ADMIN_PASSWORD}, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def admin(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with the server attached read-write as `pg` (for test set-up only)."""
        con = duckdb.connect()
        load_extension(con, "postgres")
        con.execute(f"ATTACH '{self.url()}' AS pg (TYPE postgres)")
        return con

    def execute(self, sql: str) -> None:
        con = self.admin()
        try:
            con.execute("CALL postgres_execute('pg', ?)", [sql])
        finally:
            con.close()

    def add_reader(self, user: str, password: str) -> str:
        """A login role that may only read the public schema (what a source
        connects with: a role that could write is refused); its URL."""
        self.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN "
                     f"CREATE ROLE {user} LOGIN PASSWORD '{password}'; END IF; END $$")
        self.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user}")
        self.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {user}")
        return self.url(user, password)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
