"""`slate updates`: the monthly update post from a hand-made `gh api --paginate .../issues/comments` export
(tests/data/gh/comments-2026-07.json: two pages, one after the other, as gh prints them) and head's 2026 goals.

The fixture's comments, by hand: on #274 (build-std, roadmap, cargo champion) the lock and continuing-goal
comments (hidden), one from before the window, one at 00:05 on its first day, two TL;DR comments (the newer is the
TL;DR, the older stays a comment), one on the day after the window; on #104 (cargo-semver-checks) a
`* Help wanted:` line followed by a continuation line; on #637 (mirroring) one at 23:59:59 on the window's last day
with a `<pre>`; on #113 (next-solver, no cargo champion) and #657 (libc-1.0, `**Help wanted:**`) one each; on #760
(no accepted goal) one.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from rust_goals_slate.cli.main import main
from rust_goals_slate.upkeep.updates import default_window
from tests.support import CORPUS, ROOT

COMMENTS = ROOT / "tests" / "data" / "gh" / "comments-2026-07.json"
WINDOW = ["--from", "2026-06-24", "--to", "2026-08-01"]


def _head() -> Path:
    head = CORPUS / "head"
    if not (head / "src" / "2026").is_dir():
        pytest.skip("head corpus not available")
    return head


def _post(capsys: pytest.CaptureFixture[str], *extra: str, comments: Path = COMMENTS) -> str:
    head = _head()
    argv = ["updates", str(head / "src" / "2026"), "--teams", str(head / "team"), "--comments", str(comments)]
    assert main([*argv, *extra]) == 0
    return capsys.readouterr().out


def test_cargo_post_snapshot(capsys: pytest.CaptureFixture[str], md_snapshot: SnapshotAssertion) -> None:
    assert _post(capsys, *WINDOW, "--with-champion-from", "cargo") == md_snapshot


def test_the_date_window(capsys: pytest.CaptureFixture[str]) -> None:
    post = _post(capsys, *WINDOW)
    assert "before the window" not in post and "first day after the window" not in post
    assert "Comment by davidtwco posted on 2026-06-24:" in post  # 00:05 on the first day: in
    assert "Comment by walterhpearce posted on 2026-07-31:" in post  # 23:59:59 on the last day: in
    assert "This issue is intended for status updates only" not in post
    assert "continuing project goal" not in post
    assert "no accepted goal names" not in post
    # a window that starts later leaves the June comments out, and one that ends earlier the July ones
    later = _post(capsys, "--from", "2026-07-01", "--to", "2026-08-01")
    assert "posted on 2026-06-24" not in later and "posted on 2026-07-09" in later
    earlier = _post(capsys, "--from", "2026-06-01", "--to", "2026-07-01")
    assert "posted on 2026-06-20" in earlier and "posted on 2026-07-09" not in earlier


def test_the_champion_filter_keeps_exactly_the_goals_with_a_champion_of_the_team(
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = _head() / "src" / "2026"
    expected = set()
    for path in src.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        accepted = re.search(r"^\| *Status *\| *Accepted", text, re.M | re.I)
        issue = re.search(r"^\| *Tracking issue *\| *\[rust-lang/goals#(\d+)\]", text, re.M | re.I)
        if accepted and issue and re.search(r"^\| *\[cargo\] champion *\| *@", text, re.M | re.I):
            expected.add(int(issue.group(1)))
    assert expected == {274, 104, 626, 637, 649}
    post = _post(capsys, *WINDOW, "--with-champion-from", "cargo")
    assert set(map(int, re.findall(r"^#+ .*\(\[rust-lang/goals#(\d+)\]", post, re.M))) == expected
    assert "The new solver" not in post  # next-solver has no cargo champion
    everything = _post(capsys, *WINDOW)
    assert len(set(re.findall(r"\[rust-lang/goals#(\d+)\]\(", everything))) == 73  # every accepted goal


def test_the_sections(capsys: pytest.CaptureFixture[str]) -> None:
    post = _post(capsys, *WINDOW)
    roadmap, rest = post.split("\n## Goals looking for help\n")
    help_wanted, others = rest.split("\n## Other goal updates\n")
    # roadmap goals under each of their themes, whatever their comments say
    assert re.search(r'### "Rust for Linux"\n(?:(?!\n### ).)*#### build-std', roadmap, re.S)
    assert re.search(r'### "Binary size reduction"\n(?:(?!\n### ).)*#### build-std', roadmap, re.S)
    assert roadmap.count("The new solver is enabled on nightly") == 2  # next-solver: Project Zero, Just add async
    assert "**TL;DR.** the rewrite landed; cargo integration is next." in roadmap
    assert "TL;DR: an older summary, shown as a plain comment." in roadmap
    # goals looking for help: the non-roadmap goals with a Help wanted line, with the line (and its continuation)
    assert re.findall(r"^### (.*) \(\[", help_wanted, re.M) == [
        "Continue resolving `cargo-semver-checks` blockers for merging into cargo",
        "libc 1.0 release readiness",
    ]
    assert "**Help wanted:** someone to port the remaining\ntype-checking lints\n" in help_wanted
    assert "**Help wanted:** review of the 1.0 API list\n" in help_wanted
    assert "libc 1.0" not in others and "Mirror prototype runs; logs:\n\n<pre>ok</pre>" in others
    titles = re.findall(r"^### (.*) \(\[", others, re.M)
    assert titles == sorted(titles, key=str.casefold)


def test_the_other_export_shapes_give_the_same_post(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference = _post(capsys, *WINDOW)
    text = COMMENTS.read_text(encoding="utf-8")
    decoder, pages, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        page, at = decoder.raw_decode(text, at)
        pages.append(page)
        while at < len(text) and text[at].isspace():
            at += 1
    slurped = tmp_path / "slurp.json"  # gh api --paginate --slurp: one array of pages
    slurped.write_text(json.dumps(pages), encoding="utf-8")
    assert _post(capsys, *WINDOW, comments=slurped) == reference
    by_issue: dict[int, list[object]] = {}  # gh issue list --json number,comments: GraphQL names
    for comment in (c for page in pages for c in page):
        number = int(comment["issue_url"].rsplit("/", 1)[1])
        by_issue.setdefault(number, []).append(
            {"author": {"login": comment["user"]["login"]}, "body": comment["body"],
             "createdAt": comment["created_at"], "url": comment["html_url"], "isMinimized": False}
        )  # fmt: skip
    listed = tmp_path / "issues.json"
    listed.write_text(json.dumps([{"number": n, "comments": c} for n, c in by_issue.items()]), encoding="utf-8")
    assert _post(capsys, *WINDOW, comments=listed) == reference


def test_progress_and_state_come_from_an_issue_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    issues = tmp_path / "issues.json"
    issues.write_text(
        json.dumps(
            [
                {"number": 274, "title": "build-std", "state": "OPEN", "body": "- [x] one\n- [ ] two\n* [X] three\n"},
                {"number": 104, "title": "semver", "state": "CLOSED", "body": ""},
            ]
        ),
        encoding="utf-8",
    )
    post = _post(capsys, *WINDOW, "--with-champion-from", "cargo", "--issues", str(issues))
    assert "| Progress | 2 of 3 tasks done |" in post
    assert "| Progress | Completed |" in post
    assert post.count("| Progress |") == 3  # build-std under its two themes, and #104


def test_default_window_is_a_week_before_the_first_of_the_month() -> None:
    window = default_window(datetime.date(2026, 8, 19))
    assert (window.start, window.end) == (datetime.date(2026, 7, 25), None)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--from", "2026-08-01", "--to", "2026-07-01"], 2, "--to 2026-07-01 is not after --from 2026-08-01"),
        (["--from", "2026-13-01"], 2, "is not a date"),
        (["--with-champion-from", "nosuchteam"], 2, "--with-champion-from nosuchteam: no team of that name"),
    ],
)
def test_bad_options(argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    head = _head()
    base = ["updates", str(head / "src" / "2026"), "--teams", str(head / "team"), "--comments", str(COMMENTS)]
    assert main([*base, *argv]) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"body": "x"}]', "item 1 is neither a comment with `issue_url` nor an issue"),
        ('[{"issue_url": "https://x/issues/7", "body": "x"}]', "comment 1: no creation date"),
        ("[1] {}", "not JSON"),
    ],
)
def test_a_bad_comments_export_is_one_clear_error(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = _head()
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    base = ["updates", str(head / "src" / "2026"), "--teams", str(head / "team"), "--comments", str(bad)]
    assert main(base) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"slate: {bad}: ") and message in err and err.count("\n") == 1
