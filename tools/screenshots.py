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
the page's title is drawn. Timings: the first visit of each page after the
import is "cold" (nothing cached for it yet); every later visit is warm.
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

from nps_core.db.store import Store  # noqa: E402
from nps_core.ingest.demo import ensure_demo  # noqa: E402
from nps_core.ingest.importer import dataset_name_for, import_file  # noqa: E402

PAGES = ["overview", "trend", "drilldown", "drivers", "taxonomy", "comments", "cases", "value", "board",
         "import", "sources"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Streamlit shows this widget while a script run is in progress
RUNNING = "[data-testid='stStatusWidget']"
SETTLED_S = 0.6  # no run in progress for this long: the page is drawn


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
    """Seconds until the page title is drawn and no run is in progress."""
    t0 = time.monotonic()
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_s * 1000)
    quiet_since = None
    while time.monotonic() - t0 < timeout_s:
        if page.locator(RUNNING).count() or page.locator("[data-testid='stSkeleton']").count():
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


def shoot(url: str, datasets: list[str], langs: list[str], pages: list[str], out: Path, size: tuple[int, int],
          suffix: str, query: str = "") -> list[dict]:
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for dataset in datasets:
            for lang in langs:
                # a fresh session per dataset and language, as a new visitor
                context = browser.new_context(viewport={"width": size[0], "height": size[1]})
                page = context.new_page()
                for name in pages:
                    t0 = time.monotonic()
                    path = "" if name == "overview" else name  # the default page lives at /
                    page.goto(f"{url}/{path}?lang={lang}&dataset={dataset}" + (f"&{query}" if query else ""))
                    seconds = (time.monotonic() - t0) + wait_rendered(page)
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
                context.close()
        browser.close()
    return timings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="a real export to import next to the demo (CSV or Excel)")
    ap.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                    help="column mapping for --data, as in `python -m nps_core import` (guessed when absent)")
    ap.add_argument("--nps-type", default="transaction", help="programme type of --data (default transaction)")
    ap.add_argument("--db", type=Path, help="take a copy of this database instead of a fresh demo")
    ap.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screenshots")
    ap.add_argument("--langs", default="nl,en")
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--size", default="1440x900", help="browser window, e.g. 1280x720 for a projector")
    ap.add_argument("--no-demo", action="store_true", help="only the --data dataset")
    ap.add_argument("--dataset", action="append", default=[], help="also shoot this dataset of --db")
    ap.add_argument("--query", default="", help="more URL parameters, e.g. from=2023-01-01&to=2023-12-31")
    ap.add_argument("--timings", action="store_true", help="print the cold-page timings as JSON on stdout")
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
        if args.data:
            name = dataset_name_for(args.data)
            print(f"importing {args.data} as {name} …", file=sys.stderr)
            mapping = dict(m.split("=", 1) for m in args.map)
            result = import_file(store, args.data, dataset=name, nps_type=args.nps_type, mapping=mapping or None)
            print(f"  imported {result.imported}, rejected {result.rejected}", file=sys.stderr)
            datasets.append(name)
        proc, url = start_app(db, work / "streamlit.log")
        try:
            w, h = (int(x) for x in args.size.lower().split("x"))
            suffix = "" if (w, h) == (1440, 900) else f"-{w}x{h}"
            timings = shoot(url, datasets, args.langs.split(","), args.pages.split(","), args.out, (w, h), suffix,
                            args.query)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.timings:
        cold = {}
        for row in timings:  # the first visit of a page per dataset is the cold one
            cold.setdefault((row["dataset"], row["page"]), row["seconds"])
        print(json.dumps({"cold_s": {f"{d}/{p}": s for (d, p), s in cold.items()},
                          "cold_max_s": max(cold.values()), "visits": timings}, indent=1))


if __name__ == "__main__":
    main()
