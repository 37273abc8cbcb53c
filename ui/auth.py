"""Who is using the dashboard: Streamlit's own sign-in (st.login, OpenID
Connect, configured in the [auth] section of .streamlit/secrets.toml), the
access file that turns the identity token's claims into a role and a data
scope (nps_core/access.py), and the loopback guard without sign-in.

`gate()` runs first on every rerun; pages and ui/cached.py then use the
Access it leaves in the session, so every read and action is the person's.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from nps_core.base.access import LOCAL, NOBODY, Access, AccessFileError, load_policy
from nps_core.base.i18n import dim_label, t
from ui.plain import md_escape

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def access_file() -> Path:
    return Path(os.environ.get("NPS_ACCESS_FILE") or ROOT / ".streamlit" / "access.toml")


def configured() -> bool:
    """Sign-in is on when secrets.toml has an [auth] section (as Streamlit documents it)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


@st.cache_resource(show_spinner=False, max_entries=4)
def _policy(path: str, mtime: float | None):
    return load_policy(path)


def _policy_now():
    path = access_file()
    return _policy(str(path), path.stat().st_mtime if path.exists() else None)


def _loopback_only() -> bool:
    """The server listens on the loopback address only (no browser elsewhere can reach it).
    Checked on the bind address, not on st.context.ip_address, which Streamlit says can be spoofed."""
    return (st.get_option("server.address") or "") in LOOPBACK  # empty: every interface


def _resolve() -> Access | None:
    """Who this is now: LOCAL without sign-in, None when signed out. Read
    afresh on every call (the access file is cached per change), so a
    callback from a page drawn before a role changed meets the new role."""
    if not configured():
        return LOCAL
    if not st.user.is_logged_in:
        return None
    return _policy_now().resolve(st.user.to_dict())


def gate(L: str) -> Access:
    """The person's Access for this rerun, or a sign-in page / refusal and st.stop()."""
    if not configured() and not _loopback_only() and os.environ.get("NPS_ALLOW_ANONYMOUS") != "1":
        st.error(t("anonymous_refused", L))
        st.stop()
    try:
        access = _resolve()
    except AccessFileError as exc:
        st.error(t("access_file_error", L, error=str(exc)))
        st.stop()
    if access is None:
        st.title(t("sign_in_title", L))
        st.write(t("sign_in_prompt", L))
        st.button(t("sign_in", L), type="primary", icon=":material/login:", on_click=st.login, key="sign_in")
        st.stop()
    return access


def current() -> Access:
    """The person's Access (nobody's when signed out or the access file is broken)."""
    try:
        return _resolve() or NOBODY
    except AccessFileError:
        return NOBODY


def may(action: str) -> bool:
    return current().may(action)


def signed_in() -> bool:
    return current() not in (LOCAL, NOBODY)


def scope_text(access: Access, L: str) -> str:
    """What this person sees, as Markdown (dataset names and values escaped)."""
    if not access.restricted:
        return t("scope_all", L)
    parts = [md_escape(", ".join(access.datasets)) if access.datasets is not None else "*"]
    parts += [f"{dim_label(d, L)}: {md_escape(', '.join(v))}" for d, v in access.dims]
    return t("scope_some", L, scope=" · ".join(parts))


def sidebar(L: str) -> None:
    """Who is signed in, with what role and scope, and sign-out; or "local use"."""
    access = current()
    box = st.sidebar.container(border=True)
    if not signed_in():
        box.caption(":material/lock_open: " + t("local_use", L))
        return
    box.markdown(t("signed_in_as", L, name=md_escape(access.name or access.identity), role=t("role_" + access.role, L)))
    box.caption(scope_text(access, L))
    box.button(t("sign_out", L), icon=":material/logout:", on_click=st.logout, key="sign_out")


def require(action: str, L: str) -> None:
    """A page only some roles may open: anyone else gets a sentence and nothing more."""
    if not may(action):
        st.error(t("denied", L, error=t("role_" + current().role, L)))
        st.stop()
