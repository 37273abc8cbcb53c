"""Imports from the dashboard run in a worker process of their own.

An import of a big file may use a gigabyte and more, and a crash inside
DuckDB (or the system's out-of-memory killer) ends the whole process: inside
the Streamlit server that would end every user's session. So the Upload page
(`import_file`) and the Connect page (`add_source`, `refresh_source`: a
snapshot copies a whole table) start their import in a separate OS process
(`python -m nps_core.jobs.worker FOLDER`) and only watch it:

* the job's folder (under `<tmp>/nps_imports/`) holds `job.json` (what to
  import, and as whom: the Access, for the audit trail), `progress.json`
  (written by the worker at every stage) and `outcome.json` (the result, or
  a one-line error) once the worker is done;
* Cancel sends SIGTERM, which ends the worker at once. The importer writes
  the store in one transaction, so a worker that ends before the commit,
  however it ends, leaves the store as it was; its staging spill folder and
  writer marker are swept as soon as it is gone.
* The comments are analysed (text/enrich.py) as a stage of its own after
  the commit. The worker writes the stored result to `outcome.json` first
  (`"analysed": false`), then analyses, then marks it analysed. A worker
  killed while analysing has stored its rows all the same: the page says so,
  and the comments left unanalysed are found and analysed by the next
  import, `enrich`, or the dashboard's own background analysis (task
  `analyse`, ui/analysis.py). Once the rows are committed the worker ignores
  SIGTERM (a late Cancel cannot undo an import) and finishes.

No streamlit here: the page renders what `ImportJob.poll()` says.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from nps_core import ROOT
from nps_core.base.access import Access, AccessDenied
from nps_core.db import staging
from nps_core.db.errors import StoreBusy, StoreError
from nps_core.db.store import Store
from nps_core.ingest.importer import COMMITTED, ImportResult, import_file
from nps_core.sources import registry
from nps_core.text.enrich import enrich

STALE_SECONDS = 12 * 3600  # a job folder this old belongs to a session that is gone
# what a worker can be asked to run: each stores rows (taking the store first, reporting through
# `progress`), then the worker analyses their comments; ANALYSE only analyses what is left unanalysed
TASKS = {"import_file": import_file, "add_source": registry.add_source, "refresh_source": registry.refresh_source}
ANALYSE = "analyse"


def jobs_root() -> Path:
    folder = Path(tempfile.gettempdir()) / "nps_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_json(path: Path, data: dict) -> None:
    """Atomically: a reader never sees half a file."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def access_to_json(access: Access) -> dict:
    return asdict(access)


def access_from_json(d: dict) -> Access:
    return Access(role=d["role"], datasets=None if d["datasets"] is None else tuple(d["datasets"]),
                  dims=tuple((dim, tuple(values)) for dim, values in d["dims"]),
                  identity=d["identity"], name=d["name"])


@dataclass(frozen=True)
class Status:
    """What the page shows: `state` is running, done, failed or cancelled."""

    state: str
    fraction: float = 0.0
    stage: str = "starting"
    elapsed: float = 0.0  # seconds since the job started
    result: ImportResult | None = None
    error: str | None = None  # one line, for failed (or why the analysis of stored rows stopped)
    kind: str | None = None  # busy, refused, denied, memory, error, killed, crashed (failed only)
    analysed: bool = True  # done: False when the rows were stored but the worker ended while analysing them

    @property
    def finished(self) -> bool:
        return self.state != "running"

    @property
    def cancellable(self) -> bool:
        return self.state == "running" and self.stage not in (COMMITTED, "done")


class ImportJob:
    """One import running in a worker process (see the module docstring)."""

    _started: "weakref.WeakSet[ImportJob]" = weakref.WeakSet()  # this process's jobs, for running()

    def __init__(self, folder: Path, process: subprocess.Popen, store: Store, task: str = "import_file"):
        self.folder = folder
        self.process = process
        self.store = store
        self.task = task
        self.started = time.monotonic()
        self.cancelled = False
        self._final: Status | None = None
        ImportJob._started.add(self)

    @classmethod
    def running(cls, spec: str) -> bool:
        """Whether this process started an import into the store `spec` that still runs."""
        return any(j.task != ANALYSE and j.store.spec == spec and j.process.poll() is None
                   for j in list(cls._started))

    @classmethod
    def start(cls, store: Store, path, dataset: str | None = None, mapping: dict[str, str] | None = None,
              nps_type: str | None = None, date_order: str = "auto", theme_pack: str | None = None) -> ImportJob:
        """Start importing `path` into `store` as `import_file` would, in a new process."""
        return cls.run_task(store, "import_file", path=str(Path(path).resolve()), dataset=dataset, mapping=mapping,
                            nps_type=nps_type, date_order=date_order, theme_pack=theme_pack)

    @classmethod
    def run_task(cls, store: Store, task: str, **args) -> ImportJob:
        """Start `TASKS[task](store, **args)` in a new process (args as JSON)."""
        if task not in TASKS and task != ANALYSE:
            raise ValueError(f"unknown import task {task!r}")
        sweep()
        folder = Path(tempfile.mkdtemp(prefix="import-", dir=jobs_root()))
        _write_json(folder / "job.json", {
            "store": store.spec, "lock_timeout": store.lock_timeout, "access": access_to_json(store.access),
            "task": task, "args": args,
        })
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env["NPS_STAGING_DIR"] = str(staging.staging_root())  # where _clean_after_death sweeps
        with open(folder / "stderr.log", "wb") as err:
            process = subprocess.Popen([sys.executable, "-m", "nps_core.jobs.worker", str(folder)],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        (folder / "pid").write_text(str(process.pid))
        return cls(folder, process, store, task)

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self) -> Status:
        if self._final is not None:
            return self._final
        elapsed = time.monotonic() - self.started
        code = self.process.poll()
        if code is None:
            p = _read_json(self.folder / "progress.json") or {}
            return Status("running", p.get("fraction", 0.0), p.get("stage", "starting"), elapsed)
        outcome = _read_json(self.folder / "outcome.json")
        if outcome and "result" in outcome:
            analysed = outcome["analysed"]
            status = Status("done", 1.0, "done", elapsed,
                            result=ImportResult(**outcome["result"]) if outcome["result"] else None,
                            analysed=analysed, error=None if analysed else outcome.get("error") or _ended(code))
        elif outcome:
            status = Status("failed", elapsed=elapsed, error=outcome["error"], kind=outcome["kind"])
        elif self.cancelled and code == -signal.SIGTERM:
            status = Status("cancelled", elapsed=elapsed)
        else:
            status = Status("failed", elapsed=elapsed, kind="killed" if code == -signal.SIGKILL else "crashed",
                            error=_ended(code))
        if status.state != "done":
            self._clean_after_death()
        self._final = status
        return status

    def cancel(self) -> None:
        """End the worker (it ignores this once its rows are committed, and finishes)."""
        if self.process.poll() is None:
            self.cancelled = True
            self.process.terminate()

    def wait(self, timeout: float | None = None) -> Status:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        return self.poll()

    def _clean_after_death(self) -> None:
        """A worker that ended early leaves its spill folder and perhaps a writer
        marker; both say whose they were, so they go now, not at the next import."""
        staging.sweep()
        self.store.writer_waiting()  # removes the markers of dead processes

    def close(self) -> None:
        """Forget the job: end a worker still running, remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            self._clean_after_death()
        shutil.rmtree(self.folder, ignore_errors=True)


def _ended(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the import process was ended by {name}"
    return f"the import process stopped with exit status {code}"


def sweep(root: Path | None = None) -> None:
    """Remove the folders of jobs whose page is long gone."""
    cutoff = time.time() - STALE_SECONDS
    for folder in (root or jobs_root()).glob("import-*"):
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue


def _failure(exc: BaseException) -> tuple[str, str]:
    """(kind, one line) of an import that raised."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, StoreBusy):
        return "busy", line
    if isinstance(exc, AccessDenied):
        return "denied", line
    if isinstance(exc, (MemoryError, duckdb.OutOfMemoryException)):
        return "memory", line
    if isinstance(exc, StoreError):
        return "refused", line
    return "error", f"{type(exc).__name__}: {line}"


def run(folder: Path) -> int:
    """The worker: import the job in `folder`, writing progress and the outcome there."""
    job = json.loads((folder / "job.json").read_text(encoding="utf-8"))

    def progress(fraction: float, stage: str) -> None:
        _write_json(folder / "progress.json", {"fraction": fraction, "stage": stage})

    def outcome(**what) -> None:
        _write_json(folder / "outcome.json", what)

    stored = None
    try:
        store = Store(job["store"], job["lock_timeout"], access_from_json(job["access"]))
        if job["task"] != ANALYSE:
            stored = asdict(TASKS[job["task"]](store, **job["args"], progress=progress, analyse=False))
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the rows are in: a late Cancel cannot undo them
            outcome(result=stored, analysed=False)
        progress(0.9 if stored else 0.0, COMMITTED)
        enrich(store, lambda fraction, stage: progress((0.9 + 0.1 * fraction) if stored else fraction, COMMITTED))
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line for the page
        kind, line = _failure(exc)
        if stored is None:
            outcome(kind=kind, error=line)
        else:  # stored, not (all) analysed: the background analysis takes it up
            outcome(result=stored, analysed=False, error=line)
        return 1
    outcome(result=stored, analysed=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
