"""The goals repository renamed the metadata key `Point of contact` to `Contact` (rust-lang/goals#766 and #767,
2026-08-25) in every goal and roadmap of every period. corpus/head is the repository a week before; this test applies
the rename to a copy of it and checks that every period still builds and checks as before: the same diagnostics,
and an RFC (and PR body) identical line by line except the word in the generated table headers.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.pipeline.build import Request, Result, compile_slate
from rust_goals_slate.review.diff import diff_slates, to_markdown
from tests.check_cases import BASE
from tests.support import corpus

PERIODS = ("2024h2", "2025h1", "2025h2", "2026")
_KEY_CELL = re.compile(r"^\|(\s*)Point of contact(\s*)\|", re.M)  # the rename as #766 did it: the key cell only


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of corpus/head with `| Point of contact |` rewritten to `| Contact |` in every goal and roadmap."""
    root = tmp_path_factory.mktemp("renamed") / "head"
    shutil.copytree(corpus("head"), root)
    rewritten = 0
    for path in sorted((root / "src").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        new, n = _KEY_CELL.subn(r"|\1Contact\2|", text)
        if n:
            path.write_text(new, encoding="utf-8")
            rewritten += 1
    assert rewritten > 150  # every goal and roadmap of the four periods (203 files)
    return root


@cache
def _original(period: str) -> Result:
    head = corpus("head")
    return compile_slate(Request(src=head / "src" / period, teams=head / "team"))


def _compiled(root: Path, period: str) -> Result:
    return compile_slate(Request(src=root / "src" / period, teams=root / "team"))


def _as_renamed(line: str) -> str:
    """A line of the unrenamed RFC as the renamed period must write it: only the contact column's header changes
    (and a metadata table of the sources, where a period inlines one)."""
    return line.replace("| Point of contact |", "| Contact |").replace("| PoC |", "| Contact |")


@pytest.mark.corpus
@pytest.mark.parametrize("period", PERIODS)
def test_renamed_period_reads_as_before(renamed: Path, period: str) -> None:
    before, after = _original(period), _compiled(renamed, period)
    assert [d.format() for d in after.diagnostics if d.is_error] == []
    assert [d.format() for d in after.diagnostics if d.code == "unknown-metadata-key" and "ontact" in d.message] == []
    # the same problems on the same lines (the shorter key moves the columns of its row)
    found = [(d.location.path, d.location.line, d.code) for d in after.diagnostics]
    assert found == [(d.location.path, d.location.line, d.code) for d in before.diagnostics]
    old_lines, new_lines = before.text.splitlines(), after.text.splitlines()
    assert len(new_lines) == len(old_lines)
    changed = 0
    for n, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), 1):
        if old != new:
            changed += 1
            assert new == _as_renamed(old), f"line {n}"
        else:
            assert "| Point of contact |" not in new and "| PoC |" not in new, f"line {n} kept the old word"
    # 2024h2's README is a landing page today: no goal table; the others have their tables
    assert changed == 0 if period == "2024h2" else changed > 0
    assert after.slate.contact_words.column == "Contact"
    assert before.slate.contact_words.column == "Point of contact"


@pytest.mark.corpus
def test_renamed_period_keeps_its_contacts_in_review_documents(
    renamed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = _original("2026"), _compiled(renamed, "2026")
    contacts = {g.stem: [h.login for h in g.points_of_contact] for g in before.slate.goals}
    assert {g.stem: [h.login for h in g.points_of_contact] for g in after.slate.goals} == contacts
    assert sum(1 for c in contacts.values() if c) > 60
    # help wanted in the contact cell still means help wanted
    assert [g.stem for g in after.slate.goals if g.poc_help_wanted] == [
        g.stem for g in before.slate.goals if g.poc_help_wanted
    ]
    assert to_markdown(diff_slates(before.slate, after.slate)) == "no changes\n"
    head = corpus("head")
    for command in (["fcp"], ["team", "compiler"], ["champions"], ["teams", "goal-owners"]):
        assert main([*command, str(head / "src" / "2026"), "--teams", str(head / "team")]) == 0
        old = capsys.readouterr().out
        assert main([*command, str(renamed / "src" / "2026"), "--teams", str(renamed / "team")]) == 0
        new = capsys.readouterr().out
        assert new == old.replace("**Point of contact:**", "**Contact:**").replace(
            "| Point of contact |", "| Contact |"
        ), command


def _base_renamed(tmp_path: Path, alpha_contact: str) -> Result:
    """The check cases' base slate with every `Point of contact` row spelt `Contact`, alpha's value replaced."""
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    src = root / "src" / "2099"
    for path in src.glob("*.md"):
        text = _KEY_CELL.sub(r"|\1Contact\2|", path.read_text(encoding="utf-8"))
        if path.name == "alpha.md":
            text = text.replace("| @alice-a                         |", f"| {alpha_contact} |")
        path.write_text(text, encoding="utf-8")
    return compile_slate(Request(src=src, teams=root / "teams.yaml"))


def test_the_one_contact_rule_and_its_messages_say_contact(tmp_path: Path) -> None:
    result = _base_renamed(tmp_path / "two", "@alice-a, @bob-b")
    found = [(d.code, d.message) for d in result.diagnostics if d.is_error]
    assert found == [("several-points-of-contact", "2 contacts; a goal has exactly one")]
    result = _base_renamed(tmp_path / "none", "")
    missing = [(d.code, d.message, d.hint) for d in result.diagnostics if d.code == "missing-point-of-contact"]
    assert missing == [("missing-point-of-contact", "goal in the slate has no contact", "add `| Contact | @handle |`")]


def test_help_wanted_in_the_contact_cell_is_the_badge(tmp_path: Path) -> None:
    result = _base_renamed(tmp_path, "![Help wanted][]")
    alpha = next(g for g in result.slate.goals if g.stem == "alpha")
    assert alpha.poc_help_wanted and alpha.needs_contributor
    assert [d.format() for d in result.diagnostics if d.is_error] == []
    cells, table = [], False  # alpha's contact cell in every table with a Contact column
    for line in result.text.splitlines():
        table = line.startswith("| Goal | Contact |") or (table and line.startswith("|"))
        if table and "alpha.html)" in line:
            cells.append(line.split(" | ")[1])
    assert cells == ["![Help Wanted][]"]  # the goal list (GOALS)
