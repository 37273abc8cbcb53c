"""The layering the architecture promises (docs/ARCHITECTURE.md): an import
contract over the source (every import, also those inside functions), and
two promises about what a read loads, checked in a fresh interpreter."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# The engine's packages, bottom first: each imports only from its own package and those below it.
ENGINE = ("base", "db", "text", "ingest", "sources", "analysis", "present", "followup", "report", "views", "jobs", "cli")
# Above the engine: Streamlit-side helpers, then the pages and the scripts that serve them.
APP = {"ui": 1, "pages": 2, "dashboard": 2, "app": 2}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.update([node.module, *(f"{node.module}.{a.name}" for a in node.names)])
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _modules(root: Path) -> dict[str, Path]:
    files = [*root.glob("nps_core/**/*.py"), *root.glob("ui/*.py"), *root.glob("pages/*.py"),
             root / "dashboard.py", root / "app.py"]
    out = {}
    for f in files:
        name = ".".join(f.relative_to(root).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = f
    return out


def _rank(module: str) -> float:
    """Where a module sits: the engine's packages 0…, above them ui, then pages."""
    parts = module.split(".")
    if parts[0] == "nps_core":
        if len(parts) == 1:
            return 0  # the package's own constants (ROOT, DATA_DIR)
        package = parts[1] if parts[1] in ENGINE else {"__main__": "cli"}.get(parts[1], parts[1])
        return ENGINE.index(package)
    return len(ENGINE) + APP[parts[0]]


def contract(root: Path) -> list[str]:
    """Every import that breaks the layering, and every import cycle between modules."""
    modules = _modules(root)
    graph, broken = {}, []
    for name, path in modules.items():
        # a module's own packages are not imports of it: Python runs their __init__ first anyway
        deps = {d for d in _imports(path) if d in modules and d != name and not name.startswith(d + ".")}
        graph[name] = deps
        for d in sorted(deps):
            if _rank(d) > _rank(name):
                broken.append(f"{name} imports {d}, a layer above it")
        if name.startswith("nps_core") and any(i.split(".")[0] == "streamlit" for i in _imports(path)):
            broken.append(f"{name} imports streamlit")
    # cycles: a module that reaches itself again
    done: set[str] = set()

    def visit(node, path):
        if node in path:
            broken.append("cycle: " + " -> ".join(path[path.index(node):] + [node]))
            return
        if node in done:
            return
        for d in sorted(graph[node]):
            visit(d, path + [node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])
    return broken


def test_every_import_points_down_and_none_goes_round():
    assert contract(ROOT) == []
    # every engine package is in the order (a new one must be placed, not slip through)
    packages = {p.name for p in (ROOT / "nps_core").iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(ENGINE), packages - set(ENGINE)


def test_the_contract_fails_on_a_planted_upward_import_and_cycle(tmp_path):
    for part in ("nps_core", "ui", "pages"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    for script in ("dashboard.py", "app.py"):
        shutil.copy(ROOT / script, tmp_path / script)
    metrics = tmp_path / "nps_core" / "base" / "metrics.py"
    metrics.write_text(metrics.read_text() + "\nfrom nps_core.report import content  # planted\n")
    found = contract(tmp_path)
    assert "nps_core.base.metrics imports nps_core.report.content, a layer above it" in found
    assert any(f.startswith("cycle: nps_core.base.metrics -> ") for f in found), found


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_overview_does_not_load_the_importer():
    modules = loaded_after("from nps_core.analysis.aggregates import overview")
    assert "nps_core.analysis.aggregates" in modules and "nps_core.sources.live" in modules
    heavy = {"nps_core.ingest.importer", "nps_core.ingest.readers", "nps_core.text.enrich",
             "nps_core.text.sentiment", "vaderSentiment", "nps_core.sources.registry"}
    assert not heavy & modules, heavy & modules


def test_the_engine_never_imports_streamlit():
    modules = loaded_after("import nps_core.cli, nps_core.report.pdf, nps_core.report.pptx, nps_core.report.html")
    assert not {m for m in modules if m.split(".")[0] == "streamlit"}


def test_the_architecture_page_names_every_module_where_it_is():
    """docs/ARCHITECTURE.md's module table matches the code: each engine module is listed under its
    package, and every listed module exists."""
    import re

    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = doc[doc.index("### Modules"):doc.index("\n## ", doc.index("### Modules"))]
    listed, package = set(), None
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) < 3 or not cells[1].startswith("`"):
            continue
        package = cells[0].strip("`/") or package
        listed.update(f"{package}/{m}" for m in re.findall(r"`([a-z0-9_]+\.py)`", cells[1]))
    code = {f"{p.parent.name}/{p.name}" for p in (ROOT / "nps_core").glob("*/*.py") if p.name != "__init__.py"}
    assert sorted(code - listed) == [], "modules the page does not list"
    assert sorted(listed - code) == [], "modules the page lists that do not exist"
