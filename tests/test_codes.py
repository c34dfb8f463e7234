"""The registry of codes (rust_goals_slate.codes) against the sources that report them, docs/checks.md, README.md and
`slate check --list-codes`; the severity policy (slate.toml, --error/--warn/--ignore) end to end."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.codes import CODES, Level
from tests.support import ROOT

PACKAGE = ROOT / "compiler" / "rust_goals_slate"
EXAMPLE = ROOT / "goals"

# a diagnostic made with a literal severity and code: `Severity.WARNING, "unknown-handle"` (one line or two)
_REPORTED = re.compile(r'Severity\.(ERROR|WARNING),\s*"([a-z0-9]+(?:-[a-z0-9]+)*)"')
# codes chosen at run time (`code, why, hint = handle_problem(...)`) are returned as literals
_RETURNED = re.compile(r'return "([a-z0-9]+(?:-[a-z0-9]+)+)", ')


# an error for a slate goal and a warning for a Not-accepted one (parse/goals.py): registered as errors
BY_STATUS = {"missing-team-asks", "both-ask-formats"}
# made with an f-string: validate/goals_ci.py, f"{what}-table-header"
FORMATTED = {"funding-table-header", "help-wanted-table-header"}


def _reported_in_sources() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in _REPORTED.finditer(text):
            found.setdefault(m.group(2), set()).add(m.group(1).lower())
        for m in _RETURNED.finditer(text):
            found.setdefault(m.group(1), set()).add("warning")
    return found


def test_every_code_the_sources_report_is_registered_with_its_severity() -> None:
    reported = _reported_in_sources()
    assert len(reported) > 80
    unregistered = sorted(set(reported) - set(CODES))
    assert unregistered == [], "add them to compiler/rust_goals_slate/codes.py (and docs/checks.md)"
    for name, severities in sorted(reported.items()):
        default = CODES[name].default
        if name in BY_STATUS:
            assert "warning" in severities, name
        else:  # an off code is reported as a warning, and the policy drops it
            assert severities == {"warning" if default is Level.OFF else default.value}, name


def test_every_registered_code_is_reported_somewhere() -> None:
    reported = _reported_in_sources()
    sources = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "codes.py")
    missing = {name for name in CODES if name not in reported and f'"{name}"' not in sources}
    assert sorted(missing - FORMATTED) == []


# Modules that name a code to read diagnostics another module made, never to make one: check leaves out what only
# follows from an unreadable book.toml; validate drops the general extra-cells warning for a row the goals CI reports.
READERS = {
    "cli/check.py": {"symlink-outside", "config-unreadable", "config-syntax", "unresolved-reference"},
    "validate/slate.py": {"extra-cells", "extra-cells-ask"},
}


def _makers(code: str) -> list[str]:
    """The modules of the package that write CODE as a string literal, less those that only read it."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module == "codes.py" or code in READERS.get(module, set()):
            continue
        if re.search(rf'(?<![\w-])"{re.escape(code)}"', path.read_text(encoding="utf-8")):
            found.append(module)
    return found


def test_every_code_is_made_by_exactly_one_module() -> None:
    """Issue 26: one rule, one place. A code made in two modules is two rules that drift apart (empty-directive
    was reported by validate and by the assembler; the link codes by validate and by the render)."""
    twice = {code: makers for code in CODES if len(makers := _makers(code)) > 1}
    assert twice == {}
    nowhere = sorted(code for code in CODES if not _makers(code))
    assert nowhere == sorted(FORMATTED)  # f"{what}-table-header", in one module:
    makers = [
        p.name for p in PACKAGE.rglob("*.py") if p.name != "codes.py" and '-table-header",' in p.read_text("utf-8")
    ]
    assert makers == ["goals_ci.py"]
    for module, codes in READERS.items():  # a reader really only reads: it makes no diagnostic with the code
        text = (PACKAGE / module).read_text(encoding="utf-8")
        assert not any(m.group(2) in codes for m in _REPORTED.finditer(text)), module


def _documented() -> dict[str, str]:
    rows = re.findall(
        r"^\| `([a-z0-9-]+)`(?: \([^|]*\))? \| (error|warning|off)\b",
        (ROOT / "docs" / "checks.md").read_text("utf-8"),
        re.M,
    )
    return dict(rows)


def test_docs_checks_md_lists_every_code_with_its_default_severity() -> None:
    documented = _documented()
    assert sorted(set(CODES) - set(documented)) == []
    assert sorted(set(documented) - set(CODES)) == []
    assert {name: CODES[name].default.value for name in documented} == documented


def test_the_readme_rules_table_matches_the_default_severities() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    header = "| rules | errors (stop a build; examples) | warnings (examples) | off by default |"
    assert header in readme
    table = readme.split(header, 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    assert len(rows) >= 6
    seen: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        assert len(cells) == 4, row
        for level, cell in zip(("error", "warning", "off"), cells[1:], strict=True):
            for name in re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", cell):
                seen[name] = level
    assert len(seen) >= 40
    assert sorted(set(seen) - set(CODES)) == []
    assert {name: CODES[name].default.value for name in seen} == seen
    assert f"({len(CODES)} codes," in readme


def test_list_codes_prints_every_code_with_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-codes"]) == 0
    out = capsys.readouterr().out
    listed = dict(re.findall(r"^([a-z0-9-]+) +(error|warning|off) +\S", out, re.M))
    assert listed == {name: code.default.value for name, code in CODES.items()}
    assert listed["unlisted-handle"] == "off" and listed["unknown-handle"] == "warning"


# ----------------------------------------------------------------------------------------------------------------
# the policy, end to end


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example with one goal that lacks its tracking issue (a warning) and one handle absent from the team data."""
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    goal = root / "src" / "2027" / "coherence-model.md"  # Accepted, with a tracking issue
    text = goal.read_text(encoding="utf-8")
    text = text.replace("[rust-lang/rust-project-goals#512]", "                                  ", 1)
    goal.write_text(text.replace("| Point of contact | @nvolkova ", "| Point of contact | @zz-nobody", 1), "utf-8")
    return root


def _check(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, dict[str, str]]:
    code = main(["check", str(root / "src" / "2027"), "--format", "json", *extra])
    import json

    found = {d["code"]: d["severity"] for d in json.loads(capsys.readouterr().out)}
    return code, found


def test_defaults(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(capsys, example)
    assert (code, found.get("missing-tracking-issue")) == (0, "warning")


def test_slate_toml_makes_a_warning_an_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "slate.toml").write_text('[severity]\nmissing-tracking-issue = "error"\n', encoding="utf-8")
    code, found = _check(capsys, example)
    assert (code, found["missing-tracking-issue"]) == (1, "error")
    code, found = _check(capsys, example, "--warn", "missing-tracking-issue")  # the command line wins
    assert (code, found["missing-tracking-issue"]) == (0, "warning")


def test_command_line_error_and_ignore(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found = _check(capsys, example, "--error", "missing-tracking-issue")
    assert (code, found["missing-tracking-issue"]) == (1, "error")
    code, found = _check(capsys, example, "--error", "missing-tracking-issue", "--ignore", "missing-tracking-issue")
    assert code == 0 and "missing-tracking-issue" not in found


def test_build_reads_slate_toml(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "slate.toml").write_text('[severity]\nmissing-tracking-issue = "error"\n', encoding="utf-8")
    assert main(["build", str(example / "src" / "2027"), "-o", str(tmp_path / "out")]) == 1
    assert "error: " in capsys.readouterr().err and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[severity]\nunknown-handle = "fatal"\n', "slate.toml:2:1: error: severity of 'unknown-handle' must be"),
        ('[severity]\nunknown-handle = ["error"]\n', 'must be "error", "warning" or "off", not list'),
        ("[severity.nested]\nx = 1\n", 'must be "error", "warning" or "off", not dict'),
        ("severity = 3\n", "slate.toml:1:1: error: 'severity' must be a table [bad-severity]"),
        ("[severity\n", "slate.toml:1:1: error: not valid TOML"),
        ('[severity]\nunknown-hadnle = "off"\n', "unknown code 'unknown-hadnle' [unknown-code]"),
    ],
)
def test_a_hostile_slate_toml_is_reported_not_obeyed(
    text: str, expected: str, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "slate.toml").write_text(text, encoding="utf-8")
    main(["check", str(example / "src" / "2027")])
    out = capsys.readouterr().out
    assert expected in out


def test_a_huge_or_binary_slate_toml_is_refused(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "slate.toml").write_text("#" * (65 * 1024), encoding="utf-8")
    assert main(["check", str(example / "src" / "2027")]) == 1
    assert "slate.toml: error: file is 66560 bytes; the limit is 65536 [config-unreadable]" in capsys.readouterr().out
    (example / "slate.toml").write_bytes(b"[severity]\n\xff = 1\n")
    assert main(["check", str(example / "src" / "2027")]) == 1
    assert "not UTF-8 [config-unreadable]" in capsys.readouterr().out


def test_unknown_code_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE / "src" / "2027"), "--error", "missing-trackin-issue"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.strip()) == (
        "",
        "slate check: --error missing-trackin-issue: no such code; did you mean 'missing-tracking-issue'?",
    )


def test_unlisted_handle_is_off_unless_turned_on(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "unlisted-handle" not in _check(capsys, example)[1]
    assert _check(capsys, example, "--warn", "unlisted-handle")[1]["unlisted-handle"] == "warning"


def test_the_package_long_description_is_for_users_and_the_licenses_ship() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    readme = project["readme"]
    assert readme["file"] != "README.md" and readme["content-type"] == "text/markdown"
    text = (ROOT / readme["file"]).read_text(encoding="utf-8")
    # a package index shows it without the repository: no relative link or image, no developer's make target
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert targets and all(t.startswith("https://") for t in targets), targets
    assert "make " not in text and "pipx install" in text and "slate check" in text and "slate fcp" in text
    assert project["license"] == "MIT OR Apache-2.0"
    assert project["license-files"] == ["LICENSE-MIT", "LICENSE-APACHE"]
    assert (ROOT / "LICENSE-MIT").read_text(encoding="utf-8").startswith("MIT License\n")
    apache = (ROOT / "LICENSE-APACHE").read_text(encoding="utf-8")
    assert (
        "Apache License" in apache and "Version 2.0, January 2004" in apache and "END OF TERMS AND CONDITIONS" in apache
    )


def test_fcp_counts_errors_by_the_same_policy_as_check(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    goal = example / "src" / "2027" / "c-header-export.md"
    goal.write_text(goal.read_text(encoding="utf-8").replace("| Status ", "| Statsu ", 1), encoding="utf-8")
    src = str(example / "src" / "2027")
    main(["fcp", src])
    assert "1 error(s) in the slate" in capsys.readouterr().err
    (example / "slate.toml").write_text('[severity]\nmissing-status = "warning"\n', encoding="utf-8")
    assert main(["check", src, "-q"]) == 0
    capsys.readouterr()
    for command in (["fcp", src], ["team", "lang", src], ["champions", src]):
        assert main(command) == 0
        assert "error(s) in the slate" not in capsys.readouterr().err, command
