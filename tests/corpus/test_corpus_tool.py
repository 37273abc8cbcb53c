"""tools/corpus.py on a tiny fake mirror (runs without the real corpus): build
from `git show COMMIT:PATH`, the recipe steps, checksums verified, a checksum
mismatch fails the build, a missing mirror is skipped with its reason, check
finds a changed file, and an .xlsx is the same bytes on every build."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import corpus  # noqa: E402

SOURCE = "id;when;score;text\n1;2025-01-02;9;  Great\x00 service\n2;2025-01-03;;no score\n3;2025-01-04;3;slow\t delivery \n"


def git(git_dir, *args, data=None):
    done = subprocess.run(["git", "--git-dir", str(git_dir), *args], input=data, capture_output=True, check=True)
    return done.stdout.decode().strip()


@pytest.fixture
def mirrors(tmp_path):
    """mirrors/acme+surveys/repo: a bare repository with one commit holding export.csv."""
    git_dir = tmp_path / "mirrors" / "acme+surveys" / "repo"
    subprocess.run(["git", "init", "-q", "--bare", str(git_dir)], check=True)
    blob = git(git_dir, "hash-object", "-w", "--stdin", data=SOURCE.encode())
    tree = git(git_dir, "mktree", data=f"100644 blob {blob}\texport.csv\n".encode())
    commit = subprocess.run(["git", "--git-dir", str(git_dir), "commit-tree", tree, "-m", "data"],
                            capture_output=True, check=True,
                            env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                                 "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}).stdout.decode().strip()
    return tmp_path / "mirrors", commit


def manifest(commit, recipe, name="survey.csv", folder="exports", repo="acme/surveys", digest=None):
    return {"files": [{"name": name, "folder": folder, "source": {"repo": repo, "commit": commit, "path": "export.csv"},
                       "licence": "none stated", "recipe": recipe, "sha256": digest}]}


RECIPE = [{"read": {"format": "csv", "delimiter": ";"}}, {"nonblank": ["score"]},
          {"rename": {"when": "date"}}, {"keep": ["id", "date", "score", "text"]},
          {"clean": {"columns": ["text"], "strip": True, "collapse_whitespace": True}},
          {"write": {"format": "csv"}}]


def test_build_applies_the_recipe_and_check_verifies(mirrors, tmp_path, capsys):
    root, commit = mirrors
    m = manifest(commit, RECIPE)
    out = tmp_path / "corpus"
    assert corpus.build(root, out, m, record=True) == 0  # records the checksum found
    built = (out / "exports" / "survey.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(built))) == [
        ["id", "date", "score", "text"], ["1", "2025-01-02", "9", "Great service"], ["3", "2025-01-04", "3", "slow delivery"]]
    assert m["files"][0]["sha256"] == corpus.sha256(built.encode())
    capsys.readouterr()

    assert corpus.build(root, tmp_path / "again", m) == 0
    assert "built, checksum ok" in capsys.readouterr().out
    assert corpus.check(out / "exports", m) == 0  # given the exports folder, checks the whole corpus

    (out / "exports" / "survey.csv").write_text(built + "4,2025-01-05,10,x\n", encoding="utf-8")
    assert corpus.check(out, m) == 1
    assert "MISMATCH" in capsys.readouterr().out


def test_a_checksum_mismatch_fails_the_build_and_installs_nothing(mirrors, tmp_path, capsys):
    root, commit = mirrors
    out = tmp_path / "corpus"
    assert corpus.build(root, out, manifest(commit, RECIPE, digest="0" * 64)) == 1
    assert "FAILED: checksum" in capsys.readouterr().out
    assert not (out / "exports" / "survey.csv").exists()


def test_a_missing_mirror_or_commit_is_skipped_with_its_reason(mirrors, tmp_path, capsys):
    root, commit = mirrors
    assert corpus.build(root, tmp_path / "c", manifest(commit, RECIPE, repo="other/repo")) == 0
    assert "skipped: mirror other+repo not in" in capsys.readouterr().out
    assert corpus.build(root, tmp_path / "c", manifest("1" * 40, RECIPE)) == 0
    assert "not in mirror acme+surveys" in capsys.readouterr().out
    # check names the missing file and the command that builds it
    assert corpus.check(tmp_path / "nothing", manifest(commit, RECIPE)) == 1
    assert "MISSING: build it: python tools/corpus.py build" in capsys.readouterr().out


def test_copy_keeps_the_bytes_and_sample_is_seeded(mirrors, tmp_path):
    root, commit = mirrors
    data, _, _ = corpus.build_one(manifest(commit, [{"copy": {}}])["files"][0], root)
    assert data == SOURCE.encode()
    recipe = [{"read": {"format": "csv", "delimiter": ";"}}, {"sample": {"n": 2, "seed": 26}}, {"write": {"format": "csv"}}]
    first, _, rows = corpus.build_one(manifest(commit, recipe)["files"][0], root)
    assert rows == 2 and first == corpus.build_one(manifest(commit, recipe)["files"][0], root)[0]


def test_xlsx_is_the_same_bytes_on_every_build(mirrors, tmp_path):
    root, commit = mirrors
    recipe = [{"read": {"format": "csv", "delimiter": ";"}}, {"nonblank": ["score"]},
              {"write": {"format": "xlsx", "sheet": "data", "numbers": ["score"]}}]
    entry = manifest(commit, recipe, name="survey.xlsx")["files"][0]
    first = corpus.build_one(entry, root)[0]
    openpyxl.Workbook().save(tmp_path / "between.xlsx")  # time passes between the two builds
    assert corpus.build_one(entry, root)[0] == first
    ws = openpyxl.load_workbook(io.BytesIO(first)).active
    assert ws.title == "data" and [c.value for c in ws[1]] == ["id", "when", "score", "text"]
    assert ws["C2"].value == 9 and ws["A2"].value == "1"  # only the listed columns are numbers
    assert ws["D2"].value == "  Great service"  # a NUL cannot be in a worksheet: dropped


def test_an_xlsx_source_is_read_by_its_cells(mirrors, tmp_path):
    """The workbook the test above writes, read back as a source: header and
    cells as written, numbers as numbers (written 9, not "9")."""
    root, commit = mirrors
    to_xlsx = [{"read": {"format": "csv", "delimiter": ";"}}, {"nonblank": ["score"]},
               {"write": {"format": "xlsx", "numbers": ["score"]}}]
    workbook = corpus.build_one(manifest(commit, to_xlsx, name="s.xlsx")["files"][0], root)[0]
    table = corpus.READERS["xlsx"](workbook, {})
    assert table.header == ["id", "when", "score", "text"]
    assert table.rows == [["1", "2025-01-02", 9, "  Great service"], ["3", "2025-01-04", 3, "slow\t delivery "]]


def test_the_manifest_lists_every_file_with_source_licence_and_checksum():
    m = corpus.load_manifest()
    assert len({f["name"] for f in m["files"]}) == len(m["files"])
    for f in m["files"]:
        assert f["folder"] in corpus.FOLDERS
        assert set(f["source"]) == {"repo", "commit", "path"} and len(f["source"]["commit"]) == 40
        assert f["licence"] and f["note"] and len(f["sha256"] or "") == 64, f["name"]
    json.dumps(m)  # plain JSON
