"""The Upload page's copies of uploaded files: one private folder each, under
the user's own file name (so every message names their file, not a temporary
one), removed when the session moves on to another file or clears the
uploader; folders a vanished session left behind are swept after a while.
And the session's import, running in a worker process: its progress, Cancel
and outcome."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import streamlit as st

from nps_core.base.i18n import t
from nps_core.jobs.worker import ImportJob
from ui.plain import md_values

KEY = "upload_path:"  # session-state key prefix, + the uploader's file id
STALE_SECONDS = 12 * 3600  # an upload untouched this long belongs to a session that is gone


def root() -> Path:
    folder = Path(tempfile.gettempdir()) / "nps_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def saved_copy(file) -> Path:
    """The upload on disk (written once per file), so DuckDB can stream it."""
    key = KEY + file.file_id
    if key not in st.session_state or not Path(st.session_state[key]).exists():
        name = Path(file.name).name
        path = Path(tempfile.mkdtemp(prefix="upload-", dir=root())) / (
            name if name not in ("", ".", "..") else "upload.csv")
        path.write_bytes(file.getbuffer())
        st.session_state[key] = str(path)
    return Path(st.session_state[key])


def discard_others(current=None) -> None:
    """Remove this session's copies of every file but `current` (the uploader's
    file, or None), and any session's copies older than STALE_SECONDS."""
    keep = KEY + current.file_id if current is not None else None
    for key in [k for k in st.session_state if str(k).startswith(KEY) and k != keep]:
        shutil.rmtree(Path(st.session_state.pop(key)).parent, ignore_errors=True)
    mine = Path(st.session_state[keep]).parent if keep in st.session_state else None
    cutoff = time.time() - STALE_SECONDS
    for folder in root().glob("upload-*"):
        try:
            stale = folder != mine and folder.stat().st_mtime < cutoff
        except FileNotFoundError:
            continue  # removed by another session just now
        if stale:
            shutil.rmtree(folder, ignore_errors=True)


# -- the import running in its worker process (nps_core/jobs/worker.py) --------
JOB = "import_job"
OUTCOME = "import_outcome"  # (i18n key, values) of an import that did not finish, or finished in part
# outcomes that are news, not errors
INFO_ICONS = {"import_cancelled": ":material/cancel:", "stored_not_analysed": ":material/hourglass_top:"}
DONE_AS = "import_done_as"  # (where its result goes, what goes with it, whether its dataset opens)
POLL_SECONDS = 0.5
# how a worker's failure reads: i18n key per kind (worker.Status.kind)
FAILURE_TEXT = {"busy": "busy", "refused": "file_refused", "denied": "denied", "memory": "import_memory",
                "killed": "import_died", "crashed": "import_died", "error": "error"}


def start_import(store, path: Path, label: str, **options) -> None:
    """Start importing `path` (the user's file `label`) in a worker process."""
    _start(ImportJob.start(store, path, **options), ("last_import", label, True))


def start_source_task(store, task: str, shown: tuple, **args) -> None:
    """Start the Connect page's `add_source` or `refresh_source` in a worker
    process; `shown` is (i18n key, source name, mode) of its success message.
    A source just added opens for whoever added it; a refreshed one does not."""
    _start(ImportJob.run_task(store, task, **args), ("source_result", shown, task == "add_source"))


def _start(job: ImportJob, done_as: tuple) -> None:
    forget_import()
    st.session_state.pop("last_import", None)
    st.session_state.pop("source_result", None)
    st.session_state[JOB] = job
    st.session_state[DONE_AS] = done_as
    st.rerun()  # the page without its Import button, with the progress


def import_running() -> bool:
    return JOB in st.session_state


def forget_import() -> None:
    """Forget a finished import's outcome (and end a running one)."""
    job = st.session_state.pop(JOB, None)
    if job is not None:
        job.close()
    st.session_state.pop(OUTCOME, None)


def settle_import() -> None:
    """When the worker is done: its result (or what went wrong) into the session, as an
    in-process import left it."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    status = job.poll()
    if not status.finished:
        return
    del st.session_state[JOB]
    job.close()
    where, shown, opens = st.session_state.pop(DONE_AS, ("last_import", "", True))
    if status.result is not None:
        if where == "last_import":
            st.session_state["last_import"] = status.result
            st.session_state["last_import_file"] = shown
        else:
            st.session_state["source_result"] = (*shown, status.result)
        if opens:  # a new dataset opens for whoever made it
            st.session_state["pending_dataset"] = status.result.dataset
        if not status.analysed:  # stored; its comments are analysed in the background (ui/analysis.py)
            st.session_state[OUTCOME] = ("stored_not_analysed", {"error": status.error})
        st.rerun()  # the sidebar (already drawn in this run) switches to the new dataset
    elif status.state == "cancelled":
        st.session_state[OUTCOME] = ("import_cancelled", {})
    else:
        key = "source_refused" if (where, status.kind) == ("source_result", "refused") else FAILURE_TEXT[status.kind]
        st.session_state[OUTCOME] = (key, {"error": status.error})


def show_outcome(L: str) -> None:
    """The one line about an import that did not finish (or whose analysis did not)."""
    if OUTCOME not in st.session_state:
        return
    key, values = st.session_state[OUTCOME]
    if key in INFO_ICONS:
        st.info(t(key, L, **md_values(**values)), icon=INFO_ICONS[key])
    elif key == "busy":
        st.warning(t(key, L))
    else:
        st.error(t(key, L, **md_values(**values)))


def show_progress(L: str) -> None:
    """Progress and Cancel of the running import, if there is one (a polling
    fragment only then: on an idle page it reran every POLL_SECONDS for nothing)."""
    if import_running():
        _progress(L)


@st.fragment(run_every=POLL_SECONDS)
def _progress(L: str) -> None:
    """Refreshed on its own; the whole page runs again once the worker is done."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    status = job.poll()
    if status.finished:
        st.rerun()
    st.progress(status.fraction, text=t("import_progress", L, stage=t(f"stage_{status.stage}", L),
                                        seconds=f"{status.elapsed:.0f}"))
    if status.cancellable and st.button(t("cancel_import", L), key="cancel_import", icon=":material/cancel:"):
        job.cancel()
        job.wait(timeout=5)
        st.rerun()
