"""The Upload page's copies of uploaded files: one private folder each, under
the user's own file name (so every message names their file, not a temporary
one), removed when the session moves on to another file or clears the
uploader; folders a vanished session left behind are swept after a while."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import streamlit as st

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
