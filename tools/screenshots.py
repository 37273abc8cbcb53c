"""Screenshot review: every page of the dashboard in Chromium, in Dutch and
English, on the demo and (with --data) on a real export imported next to it.

    python tools/screenshots.py                                   # demo only
    python tools/screenshots.py --data tests/data/exports/skytrax_seat_reviews.csv --nps-type product \
        --map score=overall_rating --map responded_at=date --map comment=content \
        --map product=cabin_flown --map region=author_country --out docs/screenshots
    python tools/screenshots.py --data FILE --timings             # also print cold-page timings
    python tools/screenshots.py --size 1280x720 --pages overview,trend   # projector size, two pages
    python tools/screenshots.py --db scratch.duckdb --no-demo --dataset airline --pages drivers \
        --query "from=2023-01-01&to=2023-12-31"                  # datasets already in a database, a period

The app runs as `streamlit run app.py` on a scratch copy of the database
(a fresh demo database unless --db is given), so nothing of yours is
touched. A page counts as rendered when the app has stopped running and
the page's title is drawn.

Timings (--timings) follow what a manager meets after a weekly import: the
server is running and has drawn a page (its first page also pays Python's
imports: reported apart, as "server start"); then --data is imported while
it runs, which expires every cached result; then every page is opened as a
new visitor, per dataset and language. The first visit of a page per
dataset and language after the import is "cold". The script prints a
table of them with the machine's load average and the verdict on the
target (every cold page drawn within TARGET_S seconds).

Each visitor is a new Streamlit session (a new tab). By default the browser
is the manager's own, back after last week: before the import it has opened
every page once, so it holds Streamlit's front-end code, which the server
marks immutable for a year; what is cold is the server's. With
--empty-browser every visitor is a first-ever visitor instead, whose browser
fetches some 120 script files first.
Run from the project root. Look at the pictures before each landing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nps_core.db.store import Store
from nps_core.ingest.importer import dataset_name_for, import_file  # noqa: E402
from nps_core.jobs.demo import ensure_demo  # noqa: E402
from ui import navigation  # noqa: E402

PAGES = ["overview", *(p.url for p in navigation.PAGES[1:])]  # the default page lives at /
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Streamlit marks its root element with the state of the script run ("running" while the
# page's script still computes, even when nothing new is drawn for a while)
RUN_STATE = "[data-testid='stApp']"
IDLE_STATES = ("notRunning", "compilationError")
SETTLED_S = 0.6  # no run in progress for this long: the page is drawn
TARGET_S = 2.0  # issue 15: every page's first render after an import


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "NPS_DB": str(db)}, stdout=open(log, "w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                sys.exit(f"streamlit did not start; see {log}")
            time.sleep(0.3)


def wait_rendered(page, timeout_s: float = 120) -> float:
    """Seconds until the page title is drawn and the script run has ended (and stayed so for SETTLED_S)."""
    t0 = time.monotonic()
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_s * 1000)
    quiet_since = None
    while time.monotonic() - t0 < timeout_s:
        state = page.locator(RUN_STATE).get_attribute("data-test-script-state")
        if state not in IDLE_STATES or page.locator("[data-testid='stSkeleton']").count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLED_S:
            return quiet_since - t0
        time.sleep(0.05)
    return float("nan")


def _shrink(file: Path) -> None:
    """256 colours are plenty for a dashboard: a third of the bytes in the repository."""
    from PIL import Image

    with Image.open(file) as im:
        small = im.convert("RGB").quantize(256)
    small.save(file, optimize=True)


def visit(page, url: str, name: str, dataset: str, lang: str, query: str = "") -> float:
    """Open page `name` and wait until it is drawn: the seconds it took."""
    t0 = time.monotonic()
    path = "" if name == "overview" else name  # the default page lives at /
    page.goto(f"{url}/{path}?lang={lang}&dataset={dataset}" + (f"&{query}" if query else ""))
    return (time.monotonic() - t0) + wait_rendered(page)


def first_visit(browser, url: str, dataset: str, lang: str, pages: list[str]) -> float:
    """Open the overview once: the server's first page, which also pays Python's
    imports (its seconds); then the other `pages` once, as last week."""
    page = browser.new_page()
    seconds = visit(page, url, "overview", dataset, lang)
    for name in pages:
        if name != "overview":
            visit(page, url, name, dataset, lang)
    page.close()
    return round(seconds, 2)


def shoot(browser, url: str, datasets: list[str], langs: list[str], pages: list[str], out: Path,
          size: tuple[int, int], suffix: str, query: str = "") -> list[dict]:
    timings = []
    for dataset in datasets:
        for lang in langs:
            # a new session per dataset and language, as a new visitor (a new tab of the
            # same browser, unless it is a fresh one for every visitor: --empty-browser)
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            for name in pages:
                seconds = visit(page, url, name, dataset, lang, query)
                file = out / f"{dataset}-{lang}-{name}{suffix}.png"
                # the page scrolls inside Streamlit's main pane: grow the window to show all of it
                height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
                page.set_viewport_size({"width": size[0], "height": max(size[1], min(height, 16000))})
                time.sleep(0.8)  # charts re-lay out for the new height
                page.screenshot(path=str(file))
                _shrink(file)
                page.set_viewport_size({"width": size[0], "height": size[1]})
                timings.append({"dataset": dataset, "lang": lang, "page": name, "seconds": round(seconds, 2),
                                "height_px": height, "file": str(file)})
                print(f"{dataset:<24} {lang} {name:<10} {seconds:6.2f} s  {file}", file=sys.stderr)
            page.close()
    return timings


class Browser:
    """Chromium with one shared HTTP cache, or (empty=True) a fresh profile for every new page."""

    def __init__(self, empty: bool):
        from playwright.sync_api import sync_playwright

        self.empty = empty
        self._p = sync_playwright().start()
        self._browser = self._p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._shared = self._browser.new_context()

    def new_page(self, viewport: dict | None = None):
        context = self._browser.new_context() if self.empty else self._shared
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        return page

    def close(self) -> None:
        self._browser.close()
        self._p.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="a real export to import next to the demo (CSV or Excel)")
    ap.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                    help="column mapping for --data, as in `python -m nps_core import` (guessed when absent)")
    ap.add_argument("--nps-type", default="transaction", help="programme type of --data (default transaction)")
    ap.add_argument("--theme-pack", help="starter themes for --data, as in `python -m nps_core import --theme-pack`")
    ap.add_argument("--db", type=Path, help="take a copy of this database instead of a fresh demo")
    ap.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screenshots")
    ap.add_argument("--langs", default="nl,en")
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--size", default="1440x900", help="browser window, e.g. 1280x720 for a projector")
    ap.add_argument("--no-demo", action="store_true", help="only the --data dataset")
    ap.add_argument("--dataset", action="append", default=[], help="also shoot this dataset of --db")
    ap.add_argument("--query", default="", help="more URL parameters, e.g. from=2023-01-01&to=2023-12-31")
    ap.add_argument("--timings", action="store_true",
                    help="import --data while the server runs, then print each page's first render and the verdict")
    ap.add_argument("--json", type=Path, help="with --timings: also write every visit's timing to this JSON file")
    ap.add_argument("--empty-browser", action="store_true",
                    help="with --timings: every visitor a first-ever one (no cached front-end code)")
    args = ap.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="nps-screens-"))
    try:
        db = work / "nps.duckdb"
        store = Store(db)
        if args.db:
            shutil.copy(args.db, db)
        else:
            print("loading the demo …", file=sys.stderr)
            ensure_demo(store)
        datasets = ([] if args.no_demo else ["demo"]) + args.dataset
        langs = args.langs.split(",")
        name = dataset_name_for(args.data) if args.data else None
        if args.data and not args.timings:
            _import(store, args, name)
        proc, url = start_app(db, work / "streamlit.log")
        browser = Browser(empty=args.empty_browser)
        try:
            started = None
            pages = args.pages.split(",")
            if args.timings:  # the server draws its pages, then the import lands while it runs
                started = first_visit(browser, url, datasets[0] if datasets else "demo", langs[0], pages)
                if args.data:
                    _import(store, args, name)
            if name:
                datasets.append(name)
            w, h = (int(x) for x in args.size.lower().split("x"))
            suffix = "" if (w, h) == (1440, 900) else f"-{w}x{h}"
            load = os.getloadavg()
            timings = shoot(browser, url, datasets, langs, pages, args.out, (w, h), suffix, args.query)
            load = (load, os.getloadavg())
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.timings:
        print(timing_table(timings, started, load, langs))
        print("browser: " + ("empty for every visitor (first-ever visits)" if args.empty_browser
                             else "the manager's own, holding the front-end code from last week's visit"))
        if args.json:
            args.json.write_text(json.dumps({"server_start_s": started, "load_avg": load, "target_s": TARGET_S,
                                             "visits": timings}, indent=1))


def _import(store: Store, args, name: str) -> None:
    print(f"importing {args.data} as {name} …", file=sys.stderr)
    mapping = dict(m.split("=", 1) for m in args.map)
    result = import_file(store, args.data, dataset=name, nps_type=args.nps_type, mapping=mapping or None,
                         theme_pack=args.theme_pack)
    print(f"  imported {result.imported}, rejected {result.rejected}", file=sys.stderr)


def timing_table(timings: list[dict], started: float | None, load: tuple, langs: list[str]) -> str:
    """The cold first render of each page per dataset and language, and the verdict on TARGET_S."""
    cold: dict[tuple, float] = {}
    for row in timings:  # the first visit of a page per dataset and language is the cold one
        cold.setdefault((row["dataset"], row["page"], row["lang"]), row["seconds"])
    rows = list(dict.fromkeys((d, p) for d, p, _ in cold))
    lines = [f"first render after an import (s); load average {' / '.join(f'{x:.1f}' for x in load[0])} before, "
             f"{' / '.join(f'{x:.1f}' for x in load[1])} after (1, 5, 15 min; {os.cpu_count()} cores)",
             f"{'dataset':<24} {'page':<10} " + " ".join(f"{lang:>6}" for lang in langs)]
    for d, p in rows:
        lines.append(f"{d:<24} {p:<10} " + " ".join(f"{cold.get((d, p, lang), float('nan')):>6.2f}" for lang in langs))
    if started is not None:
        lines.append(f"server start (its first page, with Python's imports, before the import): {started:.2f} s")
    worst = max(cold.items(), key=lambda kv: kv[1])
    met = worst[1] <= TARGET_S
    lines.append(f"target: every page <= {TARGET_S:.0f} s: {'MET' if met else 'NOT MET'} "
                 f"(slowest {worst[1]:.2f} s: {'/'.join(worst[0])})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
