"""`slate fcp`: one section per team with asks, leads pinged and required, members listed; at most 50 mentions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import Location
from rust_goals_slate.model import (
    AskFormat,
    Config,
    Fragment,
    Goal,
    Level,
    Person,
    Slate,
    Status,
    Team,
    TeamAsk,
    TeamRegistry,
)
from rust_goals_slate.pipeline.build import Request, read_slate
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.review.fcp import MAX_MENTIONS, fcp_comments, split, team_sections
from rust_goals_slate.sources.teams import load_teams
from tests.support import ROOT, corpus

MENTION = re.compile(r"(?<![\w/.-])@([A-Za-z0-9][A-Za-z0-9-]*)")
LEAD = re.compile(r"^\* \[ \] @(\S+) \(required, lead\)$", re.M)
OPTIONAL = re.compile(r"^\* \[ \] ([^@\s]\S*) \(optional\)$", re.M)


def _sections(comment: str) -> dict[str, str]:
    """team key -> the text of its section."""
    parts = re.split(r"^### (\S+) team.*$", comment, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _synthetic(leads: dict[str, int], members: int = 3) -> Slate:
    teams = {}
    people = {}
    for key, count in leads.items():
        lead_logins = tuple(f"{key}-lead-{n:03d}" for n in range(count))
        member_logins = tuple(f"{key}-member-{n}" for n in range(members))
        teams[key] = Team(key, f"https://example.org/{key}", leads=lead_logins, members=lead_logins + member_logins)
        people.update({login: Person(login, login) for login in lead_logins + member_logins})
    loc = Location("src/2030/goal.md", 10)
    asks = tuple(TeamAsk(team=key, notes=Fragment("", loc.path, 10), location=loc, level=Level.SMALL) for key in leads)
    goal = Goal(
        path="src/2030/goal.md",
        title="A goal",
        location=loc,
        status=Status.PROPOSED,
        status_text="Proposed",
        summary=Fragment("A goal.", loc.path, 5),
        what_and_why=Fragment("A goal.", loc.path, 5),
        ask_format=AskFormat.NEW,
        asks=asks,
    )
    registry = TeamRegistry(teams, people)
    return Slate("2030", "src/2030", Config("2030"), registry, {}, None, (goal,))


def test_the_mention_rule_splits_into_numbered_parts() -> None:
    leads = {"alpha": 30, "beta": 30, "gamma": 75, "delta": 2}
    slate = _synthetic(leads)
    comments = fcp_comments(slate, template_env())
    counts = [len(MENTION.findall(c)) for c in comments]
    assert max(counts) <= MAX_MENTIONS
    assert sum(counts) == 30 + 30 + 75 + 2  # every lead pinged exactly once over all parts
    assert len(comments) == 4  # 30 | 30 | 50 | 25 + 2
    for n, comment in enumerate(comments, 1):
        assert f"part {n} of 4" in comment
        assert "at most 50 @-mentions" in comment
    pinged = [m for c in comments for m in LEAD.findall(c)]
    assert sorted(pinged) == sorted(f"{key}-lead-{n:03d}" for key, count in leads.items() for n in range(count))
    # gamma's members come once, with its last chunk of leads
    optional = [m for c in comments for m in OPTIONAL.findall(c)]
    assert optional.count("gamma-member-0") == 1


def test_within_the_limit_there_is_one_comment_without_parts() -> None:
    comments = fcp_comments(_synthetic({"alpha": 25, "beta": 25}), template_env())
    assert len(comments) == 1
    assert "part 1" not in comments[0]
    assert len(MENTION.findall(comments[0])) == 50


def test_split_keeps_team_order_and_never_exceeds_the_limit() -> None:
    slate = _synthetic({"a": 3, "b": 4, "c": 2, "d": 5})
    parts = split(team_sections(slate), limit=6)
    assert [[s.key for s in p.sections] for p in parts] == [["a"], ["b", "c"], ["d"]]
    assert all(p.mentions <= 6 for p in parts)


def test_members_are_listed_without_a_ping_and_leads_once() -> None:
    slate = _synthetic({"alpha": 2}, members=2)
    (comment,) = fcp_comments(slate, template_env())
    section = _sections(comment)["alpha"]
    assert LEAD.findall(section) == ["alpha-lead-000", "alpha-lead-001"]
    assert OPTIONAL.findall(section) == ["alpha-member-0", "alpha-member-1"]


def test_2026_lists_every_team_with_asks_and_its_people(capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus("2026")
    registry = load_teams(root / "team")
    assert main(["fcp", str(root), "--teams", str(root / "team")]) == 0
    out = capsys.readouterr().out
    slate, _ = read_slate(Request(src=root / "src" / "2026", teams=root / "team"))
    asked = sorted({a.team for g in slate.goals if g.status is not Status.NOT_ACCEPTED for a in g.asks})
    sections = _sections(out)
    assert list(sections) == asked
    for key in asked:
        team = registry.teams[key]
        leads = {x.casefold() for x in team.leads}
        assert {x.casefold() for x in LEAD.findall(sections[key])} == leads
        assert {x.casefold() for x in OPTIONAL.findall(sections[key])} == {m.casefold() for m in team.members} - leads
    assert len(MENTION.findall(out)) <= MAX_MENTIONS


def test_cli_prints_the_parts_separated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "goals"
    assert (
        main(["fcp", str(example / "src" / "2027"), "--teams", str(example / "teams.yaml"), "--max-mentions", "4"]) == 0
    )
    out = capsys.readouterr().out
    assert out.count("<!-- slate fcp: post as a separate comment -->") == 2  # 9 leads in parts of 4, 4, 1
    assert "part 3 of 3" in out
