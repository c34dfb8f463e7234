"""`slate issues`: the tracking-issue plan of head's 2026 slate against a hand-made `gh issue list` export
(tests/data/gh/issues-2026.json), and the script that carries it out, run against a `gh` stand-in that records
its arguments.

The slate is a copy of head's 2026 period in which two accepted goals lose their tracking issue:
wasm-components.md (no issue has its title: to open) and view-types-experiment.md (#702 has its title).
What the export holds, and so what the plan must be, is written out by hand below.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rust_goals_slate.cli.main import main
from tests.support import CORPUS, ROOT

EXPORT = ROOT / "tests" / "data" / "gh" / "issues-2026.json"
LOCK = (
    "This issue is intended for status updates only.\n\n"
    "For general questions or comments, please contact the owner(s) directly."
)

# The plan, by hand, from the export and the goal files:
# - #618 is in sync (labels, assignee, milestone, locked): nothing;
# - #711 (turbofishing-late-bound: asks compiler, lang, types) has T-libs, which it no longer asks: removed;
#   T-types is missing: added; I-goals-nominated was set by hand: kept;
# - #619 (arbitrary-self-types) has the old title "Arbitrary self types v2": retitled "Arbitrary Self Types";
#   the export has no comments field, so nothing is said about locking it;
# - #274 (build-std, contact @davidtwco) is in 2025h2-goals, assigned to adamgemmell, and was never locked;
# - #702 has the title of view-types-experiment.md, whose file names no issue: in sync, so only the unlinked note;
# - wasm-components.md names no issue and none has its title: to open;
# - #760 is in the milestone but no accepted goal names it (crate-slicing was not accepted).
EXPECTED_UPDATES = [
    {"number": 711, "goal": "src/2026/turbofishing-late-bound.md", "title": None, "add_assignees": [],
     "remove_assignees": [], "add_labels": ["T-types"], "remove_labels": ["T-libs"], "milestone": None,
     "old_milestone": None, "lock": False, "kept_labels": ["I-goals-nominated"]},
    {"number": 619, "goal": "src/2026/arbitrary-self-types.md", "title": "Arbitrary Self Types", "add_assignees": [],
     "remove_assignees": [], "add_labels": [], "remove_labels": [], "milestone": None, "old_milestone": None,
     "lock": False, "kept_labels": []},
    {"number": 274, "goal": "src/2026/build-std.md", "title": None, "add_assignees": ["davidtwco"],
     "remove_assignees": ["adamgemmell"], "add_labels": [], "remove_labels": [], "milestone": "2026-goals",
     "old_milestone": "2025h2-goals", "lock": True, "kept_labels": []},
]  # fmt: skip
EXPECTED_COMMANDS = [
    ["issue", "create", "--repo", "rust-lang/goals", "--title", "Wasm Components",
     "--label", "C-tracking-issue,T-compiler,T-lang,T-libs", "--assignee", "yoshuawuyts",
     "--milestone", "2026-goals", "--body-file", "-"],
    ["issue", "edit", "711", "--repo", "rust-lang/goals", "--add-label", "T-types", "--remove-label", "T-libs"],
    ["issue", "edit", "619", "--repo", "rust-lang/goals", "--title", "Arbitrary Self Types"],
    ["issue", "edit", "274", "--repo", "rust-lang/goals", "--add-assignee", "davidtwco",
     "--remove-assignee", "adamgemmell", "--milestone", "2026-goals"],
    ["issue", "comment", "274", "--repo", "rust-lang/goals", "--body-file", "-"],
    ["issue", "lock", "274", "--repo", "rust-lang/goals"],
    ["issue", "comment", "274", "--repo", "rust-lang/goals", "--body-file", "-"],
]  # fmt: skip


@pytest.fixture(scope="module")
def slate_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    head = CORPUS / "head"
    if not (head / "src" / "2026").is_dir():
        pytest.skip("head corpus not available")
    root = tmp_path_factory.mktemp("issues") / "goals"
    root.mkdir()
    for name in ("book.toml", "rust-project-goals.toml"):
        shutil.copy(head / name, root / name)
    shutil.copytree(head / "src" / "2026", root / "src" / "2026")
    for stem, number in (("wasm-components", 656), ("view-types-experiment", 702)):
        path = root / "src" / "2026" / f"{stem}.md"
        path.chmod(0o644)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"[rust-lang/goals#{number}]", ""), encoding="utf-8")
    return root / "src" / "2026"


def _plan(src: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    teams = str(CORPUS / "head" / "team")
    assert main(["issues", str(src), "--teams", teams, "--issues", str(EXPORT), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _named_issues(src: Path) -> dict[str, int]:
    """Accepted goal file -> the goals issue its metadata names (read with a regex, not through slate)."""
    found = {}
    for path in sorted(src.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^\| *Status *\| *Accepted", text, re.M | re.I):
            continue
        m = re.search(r"^\| *Tracking issue *\| *\[rust-lang/goals#(\d+)\]", text, re.M | re.I)
        if m:
            found[f"src/2026/{path.name}"] = int(m.group(1))
    return found


def test_the_plan_is_the_one_stated_by_hand(slate_2026: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _plan(slate_2026, capsys)
    assert plan["milestone"] == "2026-goals" and plan["repository"] == "rust-lang/goals"
    opened = plan["to_open"]
    assert isinstance(opened, list) and len(opened) == 1
    assert {k: v for k, v in opened[0].items() if k != "body"} == {
        "goal": "src/2026/wasm-components.md",
        "title": "Wasm Components",
        "labels": ["C-tracking-issue", "T-compiler", "T-lang", "T-libs"],
        "assignees": ["yoshuawuyts"],
        "milestone": "2026-goals",
    }
    body = opened[0]["body"]
    assert "| Point of contact | @yoshuawuyts |" in body
    assert (
        "| Goal document    | [2026/wasm-components](https://goals.rust-lang.org/2026/wasm-components.html) |" in body
    )
    assert "## Summary\n\nIn 2026 we want to improve the state of Wasm Component support in Rust." in body
    assert plan["to_update"] == EXPECTED_UPDATES
    assert plan["unlinked"] == [
        {"goal": "src/2026/view-types-experiment.md", "number": 702},
        {"goal": "src/2026/wasm-components.md", "number": None},
    ]
    exported = {618, 711, 274, 619, 702, 760}
    named = _named_issues(slate_2026)
    assert len(named) == 73 - 2
    expected_missing = sorted((goal, n) for goal, n in named.items() if n not in exported)
    assert sorted((i["goal"], i["number"]) for i in plan["not_exported"]) == expected_missing
    assert plan["notes"] == ['#760 "Crate slicing" is in 2026-goals but no accepted goal names it']
    assert [c["argv"][1:] for c in plan["commands"]] == EXPECTED_COMMANDS


def _stand_in(folder: Path, log: Path, prints: str = "") -> None:
    """A `gh` that records its arguments and standard input (one JSON line per call) and prints `prints`."""
    folder.mkdir(exist_ok=True)
    gh = folder / "gh"
    gh.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "data = sys.stdin.read() if '-' in sys.argv[1:] else None\n"
        f"with open({str(log)!r}, 'a', encoding='utf-8') as f:\n"
        "    f.write(json.dumps({'argv': sys.argv[1:], 'stdin': data}) + '\\n')\n"
        f"sys.stdout.write({prints!r})\n",
        encoding="utf-8",
    )
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)


def test_the_script_run_against_a_gh_stand_in_sends_the_plan(
    slate_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "issues.sh"
    plan = _plan(slate_2026, capsys, "--script", str(script))
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n") and "Nothing has been sent" in text
    log = tmp_path / "gh.log"
    _stand_in(tmp_path / "bin", log)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["sh", str(script)], check=True, env=env, cwd=tmp_path, timeout=60)
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    planned = plan["commands"]
    assert isinstance(planned, list)
    assert [r["argv"] for r in recorded] == [c["argv"][1:] for c in planned]
    # what each command read is the planned text (a here-document ends with one newline)
    assert [r["stdin"] for r in recorded] == [
        None if c["stdin"] is None else c["stdin"].rstrip("\n") + "\n" for c in planned
    ]
    assert recorded[6]["stdin"] == LOCK + "\n"
    assert recorded[4]["stdin"].startswith("This is a continuing project goal")


def test_live_runs_gh_issue_list_read_only(slate_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    log = tmp_path / "gh.log"
    _stand_in(tmp_path / "bin", log, EXPORT.read_text(encoding="utf-8"))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    teams = str(CORPUS / "head" / "team")
    assert main(["issues", str(slate_2026), "--teams", teams, "--live", "--format", "json"]) == 0
    live = json.loads(capsys.readouterr().out)
    calls = [json.loads(line)["argv"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert calls == [
        ["issue", "list", "--repo", "rust-lang/goals", "--milestone", "2026-goals", "--state", "all",
         "--limit", "1000", "--json", "number,title,state,labels,assignees,milestone,body,comments,url"]
    ]  # fmt: skip
    assert live == _plan(slate_2026, capsys)  # the same plan as from the saved export


def test_text_plan_names_every_part(slate_2026: Path, capsys: pytest.CaptureFixture[str]) -> None:
    teams = str(CORPUS / "head" / "team")
    assert main(["issues", str(slate_2026), "--teams", teams, "--issues", str(EXPORT)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Tracking issues of 2026 (rust-lang/goals, milestone 2026-goals)\n\n")
    assert "73 accepted goals: 1 to open, 3 to update, 2 whose file names no tracking issue, 67 whose" in out
    assert "- #711 src/2026/turbofishing-late-bound.md:\n  labels +T-types -T-libs\n" in out
    assert "  kept (labels slate does not set): I-goals-nominated\n" in out
    assert (
        "- src/2026/view-types-experiment.md: #702 has its title; add `| Tracking issue | [rust-lang/goals#702] |`"
        in out
    )
    assert err.startswith("slate issues: 1 to open, 3 to update, 2 goal file(s) without a tracking issue; ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"number": "x"}', "issue 1: no issue number"),
        ('[{"number": 3, "labels": "T-lang"}]', "issue 1 (#3): `labels` is not an array"),
        ('"text"', "expected a JSON array of issues"),
    ],
)
def test_a_bad_export_is_one_clear_error(
    content: str, message: str, slate_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "bad.json"
    export.write_text(content, encoding="utf-8")
    teams = str(CORPUS / "head" / "team")
    assert main(["issues", str(slate_2026), "--teams", teams, "--issues", str(export)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"slate: {export}: ") and message in err and err.count("\n") == 1


def test_usage_errors_come_before_anything_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert main(["issues", str(tmp_path / "nowhere")]) == 2
    assert "give the exported issues with --issues FILE, or --live" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path))  # no gh here
    assert main(["issues", str(tmp_path / "nowhere"), "--live"]) == 2
    assert "gh is not installed" in capsys.readouterr().err


def test_a_body_line_that_is_the_here_document_delimiter_does_not_end_it() -> None:
    from rust_goals_slate.upkeep.issues_plan import IssuePlan, ToOpen, to_script

    body = "first\nSLATE_BODY_1\n$(touch pwned) `x` 'q'\n"
    plan = IssuePlan(
        "2027", "o/r", "2027-goals", 1, to_open=(ToOpen("src/2027/a.md", "A; rm -rf /", (), (), "m", body),)
    )
    script = to_script(plan, "test")
    assert "<<'SLATE_BODY_1_'\nfirst\nSLATE_BODY_1\n$(touch pwned) `x` 'q'\nSLATE_BODY_1_\n" in script
    assert "--title 'A; rm -rf /'" in script


def test_a_new_issue_body_resolves_the_summary_links_for_github() -> None:
    """polonius.md's summary uses reference links defined further down its file and a linkifier form; rtn.md's a
    relative link to another goal. On GitHub they must be definitions after the summary and absolute URLs."""
    from rust_goals_slate.pipeline.build import Request, read_slate
    from rust_goals_slate.upkeep.issues_plan import summary_for_github

    head = CORPUS / "head"
    if not (head / "src" / "2026").is_dir():
        pytest.skip("head corpus not available")
    slate, _ = read_slate(Request(src=head / "src" / "2026", teams=head / "team"))
    goals = {g.stem: g for g in slate.goals}
    polonius = summary_for_github(goals["polonius"], slate)
    assert polonius.endswith(
        "\n\n[alpha]: https://github.com/rust-lang/rust/pull/143093\n"
        "[pc3]: https://blog.rust-lang.org/inside-rust/2023/10/06/polonius-update.html#background-on-polonius\n"
        "[a-mir-formality]: https://github.com/rust-lang/a-mir-formality/\n"
        "[rust-lang/rust#92985]: https://github.com/rust-lang/rust/issues/92985"
    )
    rtn = summary_for_github(goals["rtn"], slate)
    assert f"[next-gen trait solver]({slate.config.site_url}2026/next-solver.html)" in rtn
    assert "(./next-solver.md)" not in rtn


def test_labels_the_plan_uses_and_the_repository_lacks_are_created_first(
    slate_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.json"  # as gh label list --json name prints it
    labels.write_text(
        json.dumps([{"name": n} for n in ("C-tracking-issue", "T-compiler", "t-lang", "I-goals-nominated")]),
        encoding="utf-8",
    )
    plan = _plan(slate_2026, capsys, "--labels", str(labels))
    # used: C-tracking-issue, T-compiler, T-lang, T-libs (the new issue), T-types (added to #711); T-lang exists
    # (label names are case-insensitive on GitHub)
    assert plan["labels_checked"] is True
    assert plan["create_labels"] == [["T-libs", "bfd4f2"], ["T-types", "bfd4f2"]]
    assert [c["argv"][1:] for c in plan["commands"][:2]] == [
        ["label", "create", "T-libs", "--repo", "rust-lang/goals", "--color", "bfd4f2"],
        ["label", "create", "T-types", "--repo", "rust-lang/goals", "--color", "bfd4f2"],
    ]
    assert [c["argv"][1:] for c in plan["commands"][2:]] == EXPECTED_COMMANDS
    teams = str(CORPUS / "head" / "team")
    assert main(["issues", str(slate_2026), "--teams", teams, "--issues", str(EXPORT)]) == 0
    assert "The repository's labels were not checked: give `--labels FILE`" in capsys.readouterr().out
