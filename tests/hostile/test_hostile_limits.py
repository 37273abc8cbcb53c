"""Issue 24, hardening 2: any line length gets one line of explanation, an
empty file is refused without making a dataset, an address is one mailbox, a
dataset name cannot spoof another, a command piped into `head` ends quietly,
and a Dutch CSV opens in Dutch Excel. Each case failed on the code before."""

import io
import signal
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT
from test_cli import run as run_process

from nps_core import cli
from nps_core.base.safe_export import spreadsheet
from nps_core.db.catalog import check_dataset_name
from nps_core.db.datasets import list_datasets
from nps_core.db.errors import StoreError
from nps_core.followup.alerts import channel_kind, is_email
from nps_core.ingest import readers


def one_line_error(done, *words):
    assert done.returncode == cli.EXIT_BAD_INPUT and done.stdout == "", done.stdout
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_hostile_single_line_of_two_million_characters_is_one_line(tmp_path):
    source = tmp_path / "oneline.csv"
    source.write_text("x" * 2_000_000)
    done = run_process("import", str(source), "--db", str(tmp_path / "nps.duckdb"), "--nps-type", "product", "--json")
    one_line_error(done, "oneline.csv: its first line is longer than 1,048,576 characters",
                   "the header that names the columns")
    assert not (tmp_path / "nps.duckdb").exists()


def test_hostile_first_line_of_fifty_megabytes_is_one_line(tmp_path):
    source = tmp_path / "wide_header.csv"
    with open(source, "w") as fh:  # one header field of 50 MB, then a row
        fh.write("a" * 50_000_000 + ",score\n1,9\n")
    done = run_process("import", str(source), "--db", str(tmp_path / "nps.duckdb"), "--json")
    one_line_error(done, "wide_header.csv: its first line is longer than")


def test_hostile_a_long_comment_is_imported_and_analysed(store, tmp_path):
    """A 2 MB comment is within the stated maximum line: imported whole, and its
    analysis does not hang on a 2-million-letter "word" (words longer than
    stopwords.MAX_WORD are none; encoding one took minutes)."""
    comment = "b" * 2_000_000
    source = tmp_path / "long.csv"
    source.write_text(f"id,date,score,comment\n1,2025-01-01,9,ok\n2,2025-01-01,3,{comment}\n")
    done = run_process("import", str(source), "--db", str(store.path), "--nps-type", "product", "--json", timeout=90)
    assert done.returncode == 0, done.stderr
    with store.read() as con:
        assert con.execute("SELECT max(length(comment)) FROM responses").fetchone()[0] == 2_000_000
        assert con.execute("SELECT count(*) FROM enrichment").fetchone()[0] == 2


def test_hostile_a_line_over_the_maximum_is_refused_by_its_number(tmp_path):
    source = tmp_path / "huge.csv"
    body = "".join(f"{i},2025-01-01,9,fine\n" for i in range(1, 6))
    source.write_text("id,date,score,comment\n" + body + "6,2025-01-02,3," + "b" * (readers.MAX_LINE_BYTES + 10)
                      + "\n7,2025-01-03,8,short\n")
    done = run_process("import", str(source), "--db", str(tmp_path / "nps.duckdb"), "--nps-type", "product", "--json")
    one_line_error(done, "huge.csv: line 7 is", f"at most {readers.MAX_LINE_BYTES:,} bytes")


@pytest.mark.parametrize("text", ["id,date,score,comment\n", "id;datum;score\r\n\r\n\r\n"])
def test_hostile_header_only_file_is_refused_and_makes_no_dataset(store, tmp_path, text):
    from nps_core.ingest.importer import import_file

    import_file(store, _demo_like(tmp_path / "first.csv"), dataset="first", nps_type="product")
    source = tmp_path / "empty export.csv"
    source.write_text(text)
    with pytest.raises(StoreError, match="empty export.csv has a header but no rows: there is nothing to import"):
        import_file(store, source, nps_type="product")
    assert [d["name"] for d in list_datasets(store)] == ["first"]
    done = run_process("import", str(source), "--db", str(store.path), "--nps-type", "product", "--json")
    one_line_error(done, "has a header but no rows")


def test_hostile_header_only_workbook_is_refused(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "date", "score"])
    book.save(tmp_path / "empty.xlsx")
    done = run_process("import", str(tmp_path / "empty.xlsx"), "--db", str(tmp_path / "nps.duckdb"), "--json")
    one_line_error(done, "empty.xlsx has a header but no rows")


def _demo_like(path):
    path.write_text("id,date,score,comment\n1,2025-01-01,9,ok\n2,2025-01-02,4,slow\n")
    return path


@pytest.mark.parametrize("address", ["a,b@evil.example", "a;b@evil.example", "a@b.nl, c@evil.example",
                                     "Jan <jan@x.nl>", '"a,b"@x.nl', "a@x", "a b@x.nl", "a@x..nl"])
def test_hostile_an_address_is_one_mailbox(address):
    assert not is_email(address)
    with pytest.raises(ValueError):
        channel_kind(address)


@pytest.mark.parametrize("address", ["jan@example.nl", "jan.de.vries+nps@sub.example.com", "o'brien@example.ie"])
def test_hostile_ordinary_addresses_still_pass(address):
    assert is_email(address) and channel_kind(address) == "email"


@pytest.mark.parametrize("name", ["rapport\u202etxt.xlsx", "demo\u200b", "\u2066demo\u2069", "de\u00admo"])
def test_hostile_dataset_names_cannot_hide_or_turn_characters(name, store, tmp_path):
    with pytest.raises(StoreError, match="invisible or direction-changing"):
        check_dataset_name(name)
    from nps_core.ingest.importer import import_file

    with pytest.raises(StoreError, match="invisible or direction-changing"):
        import_file(store, _demo_like(tmp_path / "x.csv"), dataset=name, nps_type="product")
    assert check_dataset_name("Klanttevredenheid – Noord (2025)") == "Klanttevredenheid – Noord (2025)"


def test_hostile_output_piped_into_a_reader_that_stops_ends_quietly(demo_db):
    """`… | head -1`: the reader goes away while the command writes."""
    proc = subprocess.Popen([sys.executable, "-m", "nps_core", "summary", "--db", str(demo_db), "--by", "day"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the command has written a line
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 128 + signal.SIGPIPE
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_hostile_dutch_csv_has_the_separators_dutch_excel_reads():
    df = pd.DataFrame({"comment": ["=1+2", "prima; snel"], "score": [9, 3], "sentiment": [0.61, -0.25]})
    nl = spreadsheet(df, "csv", "x", "nl").decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(nl), sep=";", decimal=",")
    assert list(back["sentiment"]) == [0.61, -0.25] and list(back["comment"]) == ["'=1+2", "prima; snel"]
    en = pd.read_csv(io.StringIO(spreadsheet(df, "csv", "x", "en").decode("utf-8-sig")))
    assert list(en["sentiment"]) == [0.61, -0.25] and list(en["score"]) == [9, 3]
