"""The layering the architecture promises (docs/ARCHITECTURE.md), checked in a fresh interpreter."""

import subprocess
import sys

from conftest import ROOT


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
