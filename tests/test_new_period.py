"""`slate new-period`: the period folder, and its entries in src/SUMMARY.md and src/README.md.

The acceptance case runs on a copy of head (its periods and configuration) with a SUMMARY.md and README.md shaped as
the goals repository's (a shortened copy, written here); the expected files are stated by hand below.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.upkeep.new_period import fill_sample, period, plan
from tests.support import CORPUS

SUMMARY = """# Summary

[👋 Introduction](./README.md)

# ⏳ 2026 goal process

- [Overview](./2026/README.md)
- [Goals](./2026/goals.md)

# ⚙️ 2025H2 goal process

- [Overview](./2025h2/README.md)

# 📖 Learn about

- [Goal format](./about/goal-format.md)
"""

SUMMARY_2027 = """# Summary

[👋 Introduction](./README.md)

# ⏳ 2027 goal process

- [Overview](./2027/README.md)
- [Proposed goals](./2027/goals.md)
- [Goals not accepted](./2027/not_accepted.md)

# ⏳ 2026 goal process

- [Overview](./2026/README.md)
- [Goals](./2026/goals.md)

# ⚙️ 2025H2 goal process

- [Overview](./2025h2/README.md)

# 📖 Learn about

- [Goal format](./about/goal-format.md)
"""

README = """# Rust Project Goals

The [2026 goal period](./2026/) is in progress.

## About the process

Want to learn more?
"""

README_2027 = """# Rust Project Goals

The [2026 goal period](./2026/) is in progress.

## Next goal period (2027)

The next goal period will be 2027. We are currently in the process of assembling goals. \
[Click here](./2027/goals.md) to see the current list. \
If you'd like to propose a goal, [instructions can be found here](./how_to/propose_a_goal.md).

## About the process

Want to learn more?
"""


@pytest.fixture
def head_copy(tmp_path: Path) -> Path:
    head = CORPUS / "head"
    if not (head / "src" / "2026").is_dir():
        pytest.skip("head corpus not available")
    root = tmp_path / "goals"
    root.mkdir()
    for name in ("book.toml", "rust-project-goals.toml"):
        shutil.copy(head / name, root / name)
    shutil.copytree(head / "src", root / "src")
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (root / "src" / "SUMMARY.md").write_text(SUMMARY, encoding="utf-8")
    (root / "src" / "README.md").write_text(README, encoding="utf-8")
    return root


def _check(src: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(src), "--teams", str(CORPUS / "head" / "team"), "--format", "json"])
    return code, capsys.readouterr().out


def test_new_period_on_head_is_an_empty_period_that_checks(head_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["new-period", "2027", str(head_copy)]) == 0
    err = capsys.readouterr().err
    assert "create" in err and "update" in err
    folder = head_copy / "src" / "2027"
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "goals.md", "not_accepted.md"]
    assert (head_copy / "src" / "SUMMARY.md").read_text(encoding="utf-8") == SUMMARY_2027
    assert (head_copy / "src" / "README.md").read_text(encoding="utf-8") == README_2027
    code, out = _check(folder, capsys)
    problems = json.loads(out)
    assert code == 0
    assert not [p for p in problems if p["severity"] == "error"]
    assert {p["code"] for p in problems} == {"empty-period", "header-missing"}
    # the other periods are untouched: checking the whole repository finds no error either
    assert main(["check", str(head_copy), "--teams", str(CORPUS / "head" / "team"), "--quiet"]) == 0


def test_dry_run_writes_nothing_and_shows_the_diff(head_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-period", "2027", str(head_copy), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert not (head_copy / "src" / "2027").exists()
    assert (head_copy / "src" / "SUMMARY.md").read_text(encoding="utf-8") == SUMMARY
    assert "+++ b/src/2027/README.md\n+# Rust project goals 2027\n" in out
    assert "+# ⏳ 2027 goal process\n" in out and "+## Next goal period (2027)\n" in out


def test_existing_pages_are_refused_without_force(head_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-period", "2027", str(head_copy), "-q"]) == 0
    readme = head_copy / "src" / "2027" / "README.md"
    readme.write_text("# Edited\n", encoding="utf-8")
    assert main(["new-period", "2027", str(head_copy)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert readme.read_text(encoding="utf-8") == "# Edited\n"
    assert main(["new-period", "2027", str(head_copy), "--force", "-q"]) == 0
    assert readme.read_text(encoding="utf-8").startswith("# Rust project goals 2027\n")
    # the SUMMARY section was filled in by the first run: a second run leaves it alone
    assert (head_copy / "src" / "SUMMARY.md").read_text(encoding="utf-8") == SUMMARY_2027


def test_the_repository_samples_are_used_with_whole_word_placeholders(tmp_path: Path) -> None:
    samples = {
        "src/admin/samples/rfc.md": "# Goals YYYYHN\n\n> **NOTE:** a sample.\n> Replace YYYY.\n\n\n"
        "Technology for YYYY, half HN.\n\n> A quote that stays.\n",
        "src/admin/samples/goals.md": "# Goals\n\nSee ./yyyyhn/goals.md\n",
    }
    changes = {c.path: c for c in plan(period("2027H1"), samples, template_env())}
    readme = changes["src/2027h1/README.md"]
    assert readme.new == "# Goals 2027H1\n\nTechnology for 2027, half H1.\n\n> A quote that stays.\n"
    assert readme.origin == "src/admin/samples/rfc.md"
    assert changes["src/2027h1/goals.md"].new == "# Goals\n\nSee ./2027h1/goals.md\n"
    assert changes["src/2027h1/not_accepted.md"].origin == "template new_period_not_accepted.md.j2"
    # a year-long period: HN is empty, and words that contain "hn" keep it (the goals tool drops it)
    assert fill_sample("John's technology, YYYYHN/HN.\n", period("2027")) == "John's technology, 2027/.\n"


def test_a_placeholder_section_is_filled_and_half_years_name_their_months() -> None:
    existing = {
        "src/SUMMARY.md": "# Summary\n\n# ⏳ 2027H2 goal process\n\n- [Not yet started]()\n\n# 📖 Learn about\n",
        "src/README.md": "# Goals\n\n## Current goal period (2027H1)\n\nNow.\n\n## Next goal period (2027H2)\n\nOld.\n",
    }
    changes = {c.path: c.new for c in plan(period("2027h2"), existing, template_env())}
    assert changes["src/SUMMARY.md"] == (
        "# Summary\n\n# ⏳ 2027H2 goal process\n\n- [Overview](./2027h2/README.md)\n"
        "- [Proposed goals](./2027h2/goals.md)\n- [Goals not accepted](./2027h2/not_accepted.md)\n\n# 📖 Learn about\n"
    )
    assert "Old." not in changes["src/README.md"]
    assert "running from the start of July to the end of December." in changes["src/README.md"]
    assert changes["src/README.md"].startswith("# Goals\n\n## Current goal period (2027H1)\n\nNow.\n\n## Next goal")


def test_templates_override_the_built_in_pages(head_copy: Path, tmp_path: Path) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    (override / "new_period_goals.md.j2").write_text("# Proposed for {{ period }}\n\n(((GOALS)))\n", encoding="utf-8")
    assert main(["new-period", "2027", str(head_copy), "--templates", str(override), "-q"]) == 0
    text = (head_copy / "src" / "2027" / "goals.md").read_text(encoding="utf-8")
    assert text == "# Proposed for 2027\n\n(((GOALS)))\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new-period", "27"], "expected a period such as 2027 or 2027h1, not '27'"),
        (["new-period", "2027", "tests"], "tests is not a goals repository (it has no src/ folder)"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"slate new-period: {message}\n"
