"""Who may see and do what: roles, data scopes and the access file.

An `Access` travels with the Store (db/store.py): every reader it opens sees
only the rows of its scope (db/scoped.py), and every privileged engine
function asks `require(action)` before it acts. Sign-in (ui/auth.py) turns
the identity provider's claims into an Access through the access file; the
command line and a local dashboard without sign-in work as LOCAL.

The access file (TOML; env NPS_ACCESS_FILE, default .streamlit/access.toml):

    [default]                       # signed-in users no entry matches
    role = "viewer"
    datasets = []                   # nothing; "*" is every dataset

    [[rule]]                        # first matching rule wins
    group = "cx-admins"             # a value of the token's `groups` claim
    role = "admin"
    datasets = ["*"]

    [[rule]]
    domain = "example.com"          # the e-mail address's domain
    role = "viewer"
    datasets = ["demo"]
    scope = { region = ["Noord"] }  # dimension filters every read gets

    [users."anna@example.com"]      # an explicit entry wins over the rules
    role = "analyst"
    datasets = ["demo"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("viewer", "analyst", "admin")

# the least role each privileged action needs; anything else is reading
ACTIONS = {
    "upload": "analyst",
    "connect_source": "analyst",
    "edit_themes": "analyst",
    "export_comments": "analyst",
    "case_change": "analyst",
    "thank": "analyst",
    "delete_dataset": "admin",
    "default_dataset": "admin",
    "currency": "admin",
    "notification_settings": "admin",
    "alert_rule": "admin",
    "view_audit": "admin",
}


# actions on single responses: they reach only the rows in the person's scope
ROW_ACTIONS = ("case_change", "thank")


class AccessDenied(PermissionError):
    """The signed-in person's role does not allow this action."""


class AccessFileError(ValueError):
    """The access file cannot be read as documented."""


Dims = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Access:
    """A person's role and data scope. Frozen and hashable: part of cache keys."""

    role: str = "viewer"
    datasets: tuple[str, ...] | None = ()  # None: every dataset
    dims: Dims = field(default=())  # ((dimension, (value, ...)), ...): rows must match every one
    identity: str = ""  # e-mail address (or subject) of the signed-in person; "local" without sign-in
    name: str = ""

    def __post_init__(self):
        if self.role not in ROLES:
            raise AccessFileError(f"unknown role {self.role!r}; choose {', '.join(ROLES)}")

    @property
    def restricted(self) -> bool:
        return self.datasets is not None or bool(self.dims)

    def reader(self) -> "Access":
        """Only what decides which rows a read sees: readers with the same scope share cached results."""
        return Access(datasets=self.datasets, dims=self.dims)

    def allows_dataset(self, name: str) -> bool:
        return self.datasets is None or name in self.datasets

    def may(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(ACTIONS[action])

    def require(self, action: str, dataset: str | None = None) -> None:
        """Refuse an action the role does not allow, or on a dataset outside the scope."""
        if not self.may(action):
            raise AccessDenied(f"{action.replace('_', ' ')} needs the {ACTIONS[action]} role "
                               f"({self.identity or 'this user'} is {self.role})")
        if dataset is not None and not self.allows_dataset(dataset):
            raise AccessDenied(f"dataset {dataset!r} is outside {self.identity or 'this user'}'s access")


# the command line and the dashboard on loopback without sign-in: the person at the machine owns the file
LOCAL = Access(role="admin", datasets=None, identity="local")
# nobody signed in (or no entry and no default): sees nothing, may nothing
NOBODY = Access()


def _entry(raw: dict, where: str, identity: str = "", name: str = "") -> Access:
    if not isinstance(raw, dict):
        raise AccessFileError(f"{where}: expected a table")
    datasets = raw.get("datasets", [])
    if isinstance(datasets, str):
        datasets = [datasets]
    scope = raw.get("scope", {})
    if not isinstance(scope, dict):
        raise AccessFileError(f"{where}: scope must be a table of dimension = [values]")
    dims = tuple(sorted((str(d), tuple(str(v) for v in ([vs] if isinstance(vs, str) else vs)))
                        for d, vs in scope.items()))
    return Access(role=str(raw.get("role", "viewer")),
                  datasets=None if "*" in datasets else tuple(sorted(str(d) for d in datasets)),
                  dims=dims, identity=identity, name=name)


@dataclass(frozen=True)
class Policy:
    """The access file, parsed: explicit users, claim rules in order, the default."""

    users: dict = field(default_factory=dict)
    rules: tuple = ()
    default: dict = field(default_factory=dict)

    def resolve(self, claims: dict) -> Access:
        """The Access of a signed-in person from the identity token's claims."""
        # an address the provider says it has not verified proves nothing about the person
        email = "" if claims.get("email_verified") is False else str(claims.get("email") or "").strip().lower()
        identity = email or str(claims.get("sub") or "")
        name = str(claims.get("name") or identity)
        groups = claims.get("groups") or []
        groups = {groups} if isinstance(groups, str) else {str(g) for g in groups}
        domain = email.rpartition("@")[2] if "@" in email else ""
        users = {k.lower(): v for k, v in self.users.items()}
        if identity.lower() in users:
            return _entry(users[identity.lower()], f"users.{identity}", identity, name)
        for i, rule in enumerate(self.rules):
            if ("group" in rule and rule["group"] in groups) or \
                    ("domain" in rule and domain and str(rule["domain"]).lower() == domain):
                return _entry(rule, f"rule {i + 1}", identity, name)
        return _entry(self.default, "default", identity, name)


def load_policy(path: str | Path) -> Policy:
    """Read the access file; a missing file is an empty policy (everyone sees nothing)."""
    path = Path(path)
    if not path.exists():
        return Policy()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccessFileError(f"the access file is not valid TOML: {exc}") from None
    rules = raw.get("rule", [])
    if not isinstance(rules, list) or any(not ("group" in r or "domain" in r) for r in rules):
        raise AccessFileError("every [[rule]] needs a group or a domain")
    policy = Policy(users=raw.get("users", {}), rules=tuple(rules), default=raw.get("default", {}))
    # check every entry once now, so a typo is found at start, not at someone's sign-in
    for who, entry in policy.users.items():
        _entry(entry, f"users.{who}")
    for i, rule in enumerate(policy.rules):
        _entry(rule, f"rule {i + 1}")
    _entry(policy.default, "default")
    return policy
