"""`slate diff`: goal-level changes between two slates (folders or git revisions), as Markdown and JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Slate
from rust_goals_slate.pipeline.build import Request, read_slate
from rust_goals_slate.review.diff import Change, GoalChanges, GoalRef, Rename, diff_slates, to_json, to_markdown
from tests.support import ROOT, corpus

EXAMPLE = ROOT / "goals"
PERIOD = Path("src") / "2027"


def _slate(src: Path, teams: Path | None = None) -> Slate:
    return read_slate(Request(src=src, teams=teams))[0]


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "goals"
    shutil.copytree(EXAMPLE, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _three_edits(root: Path) -> None:
    """One ask changed, one champion added, one goal removed."""
    src = root / PERIOD
    _edit(src / "coherence-model.md", "| [spec]  | Medium ", "| [spec]  | Small  ")
    _edit(
        src / "spec-glossary.md",
        "| Roadmap          | Sound foundations",
        "| [lang] champion  | @mira-okafor |\n| Roadmap          | Sound foundations",
    )
    (src / "fallible-collections.md").unlink()


# --------------------------------------------------------------------------------------------------------------
# the example slate, edited


def test_example_with_three_edits_reports_exactly_those(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _three_edits(copy)
    diff = diff_slates(_slate(EXAMPLE / PERIOD), _slate(copy / PERIOD))
    assert diff.added == ()
    assert diff.renamed == ()
    assert diff.removed == (GoalRef("fallible-collections.md", "Fallible allocation for `Vec` and `String`"),)
    assert diff.changed == (
        GoalChanges(
            GoalRef("coherence-model.md", "A formal model of trait coherence"),
            (Change("ask", "Medium", "Small", "spec"),),
        ),
        GoalChanges(
            GoalRef("spec-glossary.md", "A shared glossary for the Reference and the specification"),
            (Change("champion", None, "@mira-okafor", "lang"),),
        ),
    )


def test_example_with_three_edits_snapshot(tmp_path: Path, md_snapshot: SnapshotAssertion) -> None:
    copy = _copy(tmp_path)
    _three_edits(copy)
    text = to_markdown(diff_slates(_slate(EXAMPLE / PERIOD), _slate(copy / PERIOD)))
    assert "@mira-okafor" in text and not re.search(r"(?<!`)@mira-okafor", text)  # shown, but pings nobody
    assert text == md_snapshot


def test_json_has_the_same_changes(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _three_edits(copy)
    data = json.loads(to_json(diff_slates(_slate(EXAMPLE / PERIOD), _slate(copy / PERIOD))))
    assert data["removed"] == [
        {"file": "fallible-collections.md", "title": "Fallible allocation for `Vec` and `String`"}
    ]
    changes = {g["goal"]["file"]: g["changes"] for g in data["changed"]}
    assert changes == {
        "coherence-model.md": [{"field": "ask", "team": "spec", "old": "Medium", "new": "Small", "kind": "changed"}],
        "spec-glossary.md": [
            {"field": "champion", "team": "lang", "old": None, "new": "@mira-okafor", "kind": "added"}
        ],
    }
    assert data["goals"] == {"old": 13, "new": 12}


def test_renames_match_by_file_and_by_title(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    src = copy / PERIOD
    (src / "dropck-soundness.md").rename(src / "dropck.md")  # same title, new file
    _edit(src / "spec-glossary.md", "# A shared glossary for the Reference and the specification", "# One glossary")
    diff = diff_slates(_slate(EXAMPLE / PERIOD), _slate(src))
    assert (diff.added, diff.removed, diff.changed) == ((), (), ())
    title = "Sound drop checking for generic containers"
    assert diff.renamed == (
        Rename(
            GoalRef("spec-glossary.md", "A shared glossary for the Reference and the specification"),
            GoalRef("spec-glossary.md", "One glossary"),
        ),
        Rename(GoalRef("dropck-soundness.md", title), GoalRef("dropck.md", title)),
    )


def test_status_size_poc_roadmap_and_highlight_changes(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    src = copy / PERIOD
    _edit(src / "coherence-model.md", "| Status           | Accepted", "| Status           | Proposed")
    _edit(src / "coherence-model.md", "| [types] | Large ", "| [types] | Medium")
    _edit(src / "coherence-model.md", "| Point of contact | @nvolkova", "| Point of contact | @haruto-s")
    _edit(src / "coherence-model.md", "| Roadmap          | Sound foundations", "| Roadmap          | Seamless interop")
    _edit(src / "coherence-model.md", "| Highlight        | Safer unsafe", "| See also         | Safer unsafe")
    (change,) = diff_slates(_slate(EXAMPLE / PERIOD), _slate(src)).changed
    assert change.changes == (
        Change("status", "Accepted", "Proposed"),
        Change("size", "Large", "Medium"),
        Change("ask", "Large", "Medium", "types"),
        Change("point of contact", "@nvolkova", "@haruto-s"),
        Change("roadmap", None, "Seamless interop"),
        Change("roadmap", "Sound foundations", None),
        Change("highlight", "Safer unsafe", None),
    )


def test_unchanged_prints_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(EXAMPLE / PERIOD), str(EXAMPLE / PERIOD)]) == 0
    assert capsys.readouterr().out == "no changes\n"


# --------------------------------------------------------------------------------------------------------------
# across formats: 2025h1 (ask kinds) to 2026 (support levels)


def _corpus_diff() -> str:
    old, new = corpus("2025h1"), corpus("2026")
    return to_markdown(
        diff_slates(_slate(old / "src" / "2025h1", old / "team"), _slate(new / "src" / "2026", new / "team"))
    )


def _goal_files(period: str) -> dict[str, str]:
    """file -> title, read straight from the sources: the first heading of each file with a metadata table."""
    found = {}
    for path in sorted((corpus(period) / "src" / period).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        # the metadata table follows the first heading; comments or a subtitle may stand between (spec 1.3)
        m = re.match(r"(?:(?!#).*\n)*#+ (.+?)\s*\n(?:(?!#).*\n)*?\|\s*Metadata\s*\|", text)
        if m and path.name not in ("TEMPLATE.md", "README.md") and not path.name.startswith(("roadmap-", "area-")):
            found[path.name] = m.group(1).strip()
    return found


def test_2025h1_to_2026_matches_the_files() -> None:
    old, new = _goal_files("2025h1"), _goal_files("2026")
    text = _corpus_diff()
    added = re.findall(r"^- .* \(`([^`]+\.md)`\): ", text.split("### Added", 1)[1].split("###", 1)[0], re.M)
    removed = re.findall(r"\(`([^`]+\.md)`\)$", text.split("### Removed", 1)[1].split("###", 1)[0], re.M)
    assert sorted(added) == sorted(set(new) - set(old))
    assert sorted(removed) == sorted(set(old) - set(new))
    retitled = {f for f in set(old) & set(new) if " ".join(old[f].split()) != " ".join(new[f].split())}
    renamed = re.findall(r"^- .* \(`([^`]+\.md)`\): title", text.split("### Renamed", 1)[1], re.M)
    assert sorted(renamed) == sorted(retitled)


def test_2025h1_to_2026_compares_kinds_with_levels() -> None:
    text = _corpus_diff()
    build_std = text.split("#### build-std (`build-std.md`)", 1)[1].split("####", 1)[0]
    assert "- size: none → Large" in build_std
    assert "- ask `cargo`: Discussion and moral support; Standard reviews → Large" in build_std


def test_2025h1_to_2026_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert _corpus_diff() == md_snapshot


# --------------------------------------------------------------------------------------------------------------
# --rev


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root / "goals")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "one")
    _three_edits(root / "goals")
    return root


def test_rev_against_the_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--rev", "HEAD", str(repo / "goals" / PERIOD), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["file"] for g in data["removed"]] == ["fallible-collections.md"]
    assert [g["goal"]["file"] for g in data["changed"]] == ["coherence-model.md", "spec-glossary.md"]


def test_rev_range_between_commits(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "two")
    (repo / "goals" / PERIOD / "coherence-model.md").unlink()  # uncommitted: must not count
    assert main(["diff", "--rev", "HEAD~1..HEAD", str(repo / "goals" / PERIOD)]) == 0
    out = capsys.readouterr().out
    assert "Goals: 1 removed, 2 changed." in out
    assert "- ask `spec`: Medium → Small" in out
    assert main(["diff", "--rev", "HEAD..HEAD", str(repo / "goals" / PERIOD)]) == 0
    assert capsys.readouterr().out == "no changes\n"


def test_rev_errors(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--rev", "no-such-rev", str(repo / "goals" / PERIOD)]) == 1
    assert "'no-such-rev' is not a commit" in capsys.readouterr().err
    assert main(["diff", str(EXAMPLE / PERIOD)]) == 2
    outside = tmp_path / "outside"
    shutil.copytree(EXAMPLE, outside)
    assert main(["diff", "--rev", "HEAD", str(outside / PERIOD)]) == 1
    assert "not in a git repository" in capsys.readouterr().err
