"""The tracking issues the accepted goals need, as a plan against the issues that exist (a `gh` export), and the
`gh` commands that carry it out. Nothing here talks to GitHub: the plan is reviewed, then its script is run.

What the goals tool's `cargo rpg issues` does, with these differences on purpose:
- labels: slate owns `C-tracking-issue`, `Roadmap Goal` and `T-<team>` for the teams of the team data; it adds the
  ones a goal calls for and removes only owned ones the goal no longer calls for. Any other label was set by hand
  and is kept (goals#768 fixed the goals tool removing them);
- only accepted goals get an issue (the goals tool opens issues for proposed goals too);
- an issue body is never replaced (it may have been edited); a new issue's body is the template
  `tracking_issue.md.j2`, as the goals tool writes it;
- a goal whose issue is not in the export is listed, not guessed about; labels are not created.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import asdict, field

import jinja2

from rust_goals_slate.model import TRACKING_ISSUE, Goal, Issue, Slate, Status, normalize_label
from rust_goals_slate.parse.links import expand_template
from rust_goals_slate.records import record
from rust_goals_slate.sources.github_export import ISSUE_FIELDS

TRACKING_LABEL = "C-tracking-issue"
ROADMAP_LABEL = "Roadmap Goal"
# The goals tool's texts: it recognises a locked issue by the first, and hides both from its reports.
LOCK_TEXT = (
    "This issue is intended for status updates only.\n\n"
    "For general questions or comments, please contact the owner(s) directly."
)
CONTINUING_PREFIX = "This is a continuing project goal, and the updates below this comment will be for the new period"


@record
class ToOpen:
    goal: str
    title: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    milestone: str
    body: str


@record
class ToUpdate:
    goal: str
    number: int
    title: str | None = None  # the new title
    add_assignees: tuple[str, ...] = ()
    remove_assignees: tuple[str, ...] = ()
    add_labels: tuple[str, ...] = ()
    remove_labels: tuple[str, ...] = ()
    milestone: str | None = None  # the new milestone
    old_milestone: str | None = None
    lock: bool = False
    kept_labels: tuple[str, ...] = ()  # labels slate does not own, left as they are


@record
class Unlinked:
    """An accepted goal whose file names no tracking issue; `number` is the exported issue with its title, if any."""

    goal: str
    number: int | None = None


@record
class NotExported:
    goal: str
    number: int


@record
class IssuePlan:
    period: str
    repository: str
    milestone: str
    accepted: int
    to_open: tuple[ToOpen, ...] = ()
    to_update: tuple[ToUpdate, ...] = ()
    unlinked: tuple[Unlinked, ...] = ()
    not_exported: tuple[NotExported, ...] = ()
    notes: tuple[str, ...] = field(default=())
    labels_checked: bool = False  # the repository's labels were given (--labels): missing ones are created first
    create_labels: tuple[tuple[str, str], ...] = ()  # (name, colour) of the labels the plan uses that do not exist


@record
class Command:
    """One `gh` invocation of the script: its arguments, what it reads on standard input, and why."""

    argv: tuple[str, ...]
    stdin: str | None
    why: str


def milestone_of(period: str) -> str:
    return f"{period}-goals"  # GitHub refuses a milestone named by a number alone


# The goals tool's label colours.
LABEL_COLOURS = {TRACKING_LABEL: "f5f1fd", ROADMAP_LABEL: "5319E7"}
TEAM_LABEL_COLOUR = "bfd4f2"


def plan_issues(
    slate: Slate, exported: Sequence[Issue], env: jinja2.Environment, labels: Sequence[str] | None = None
) -> IssuePlan:
    """The plan; `labels`, the names of the repository's labels (`gh label list`), when known."""
    repository = slate.config.goals_repository
    milestone = milestone_of(slate.period)
    by_number = {i.number: i for i in exported}
    by_title: dict[str, Issue] = {}
    for exported_issue in sorted(exported, key=lambda i: i.number):
        by_title.setdefault(exported_issue.title.strip(), exported_issue)
    owned = {TRACKING_LABEL, ROADMAP_LABEL} | {f"T-{key}" for key in slate.teams.teams}
    accepted = [g for g in slate.goals if g.status is Status.ACCEPTED]
    to_open: list[ToOpen] = []
    to_update: list[ToUpdate] = []
    unlinked: list[Unlinked] = []
    not_exported: list[NotExported] = []
    notes: list[str] = []
    claimed: dict[int, str] = {}
    for goal in accepted:
        number, elsewhere = _declared(goal, slate)
        if elsewhere:
            notes.append(f"{goal.path} names {elsewhere}, outside {repository}: nothing planned")
            continue
        issue: Issue | None = by_number.get(number) if number is not None else by_title.get(goal.title.strip())
        if number is None:
            unlinked.append(Unlinked(goal.path, issue.number if issue else None))
        elif issue is None:
            not_exported.append(NotExported(goal.path, number))
            continue
        if issue is None:
            to_open.append(_new_issue(goal, slate, milestone, env))
            continue
        if issue.number in claimed:
            notes.append(f"#{issue.number} is the issue of {claimed[issue.number]} and of {goal.path}: fix one file")
            continue
        claimed[issue.number] = goal.path
        if issue.state != "OPEN":
            notes.append(f"#{issue.number} ({goal.path}) is {issue.state.lower()}; reopen it if the goal goes on")
        update = _update(goal, issue, slate, milestone, owned)
        if update is not None:
            to_update.append(update)
    for other in sorted(exported, key=lambda i: i.number):
        if other.milestone == milestone and other.number not in claimed:
            notes.append(f'#{other.number} "{other.title}" is in {milestone} but no accepted goal names it')
    used = {label for new in to_open for label in new.labels} | {x for u in to_update for x in u.add_labels}
    existing = {label.casefold() for label in labels or ()}
    missing = sorted(label for label in used if label.casefold() not in existing) if labels is not None else []
    return IssuePlan(
        slate.period,
        repository,
        milestone,
        len(accepted),
        tuple(to_open),
        tuple(to_update),
        tuple(unlinked),
        tuple(not_exported),
        tuple(notes),
        labels_checked=labels is not None,
        create_labels=tuple((label, LABEL_COLOURS.get(label, TEAM_LABEL_COLOUR)) for label in missing),
    )


def _declared(goal: Goal, slate: Slate) -> tuple[int | None, str]:
    """The issue number the goal's tracking-issue cell names; or, for an issue of another repository, its text."""
    for row in goal.metadata:
        if row.key == "tracking issue" and row.value:
            m = TRACKING_ISSUE.match(row.value)
            if m is None:
                return None, ""  # malformed: `slate check` reports it; treated as no issue
            if not slate.config.is_goals_repository(f"{m.group(1)}/{m.group(2)}"):
                return None, row.value
            return int(m.group(3)), ""
    return None, ""


def _assignees(goal: Goal, slate: Slate) -> tuple[str, ...]:
    """The contacts the team data knows, spelt as it spells them (the goals tool assigns only those)."""
    found: dict[str, str] = {}
    for handle in goal.points_of_contact:
        person = slate.teams.person(handle.login)
        if person is not None:
            found.setdefault(person.login.casefold(), person.login)
    return tuple(sorted(found.values(), key=str.casefold))


def _labels(goal: Goal) -> tuple[str, ...]:
    labels = [TRACKING_LABEL]
    if goal.is_roadmap_goal:
        labels.append(ROADMAP_LABEL)
    return (*labels, *(f"T-{team}" for team in goal.teams_with_asks))


def _new_issue(goal: Goal, slate: Slate, milestone: str, env: jinja2.Environment) -> ToOpen:
    site = slate.config.site_url.rstrip("/")
    teams = []
    for key in goal.teams_with_asks:
        team = slate.teams.team(key)
        teams.append(f"[{key}]({team.url})" if team is not None else key)
    body = env.get_template("tracking_issue.md.j2").render(
        contact=slate.contact_words,  # the period's word for the contact key
        contacts=[f"@{h.login}" for h in goal.points_of_contact] or ["(none)"],
        teams=teams,
        goal_link=f"[{slate.period}/{goal.stem}]({site}/{slate.period}/{goal.stem}.html)",
        summary=summary_for_github(goal, slate),
        tasks=[child.title for child in goal.children],
        goal=goal,
    )
    return ToOpen(goal.path, goal.title, _labels(goal), _assignees(goal, slate), milestone, body)


_FULL_REF = re.compile(r"\[([^\]\n]+)\]\[([^\]\n]*)\]")
_SHORT_REF = re.compile(r"(?<![\]\\])\[([^\]\n]+)\](?![(\[:])")
_INLINE_RELATIVE = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s]+)\)")


def summary_for_github(goal: Goal, slate: Slate) -> str:
    """The goal's summary as it reads in an issue: relative links point at the goal pages of the site, and the
    reference definitions it uses (written further down the goal file) follow it. The goals tool pastes the summary
    as written, so its reference links come out as plain brackets on GitHub."""
    text = goal.summary.text.strip()
    site = f"{slate.config.site_url.rstrip('/')}/{slate.period}/"
    text = _INLINE_RELATIVE.sub(lambda m: f"]({_absolute(m.group(1), site, goal.stem)})", text)
    document = slate.documents.get(goal.path)
    labels = [m.group(2) or m.group(1) for m in _FULL_REF.finditer(text)]
    labels += [m.group(1) for m in _SHORT_REF.finditer(_FULL_REF.sub("", text))]
    defined = {normalize_label(m.group(1)) for m in re.finditer(r"^ {0,3}\[([^\]]+)\]:", text, re.M)}
    definitions: dict[str, str] = {}
    for label in labels:
        key = normalize_label(label)
        if key in defined or key in definitions:
            continue
        found = document.link_def(label) if document is not None else None
        if found is not None:
            definitions[key] = f"[{label}]: {_absolute(found.url, site, goal.stem)}"
            continue
        for pattern, template in slate.config.linkifiers:  # book.toml's: [rust-lang/rust#1], [RFC #3243]
            m = re.fullmatch(pattern, label.strip())
            if m:
                definitions[key] = f"[{label}]: {expand_template(template, m)}"
                break
    return text + ("\n\n" + "\n".join(definitions.values()) if definitions else "")


def _absolute(url: str, site: str, stem: str) -> str:
    """A link of a goal page as the site serves it (`./x.md#a` -> SITE/PERIOD/x.html#a); absolute ones unchanged."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith("/"):
        return url
    if url.startswith("#"):
        return f"{site}{stem}.html{url}"
    path, hash_, anchor = url.removeprefix("./").partition("#")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return f"{site}{path}{hash_}{anchor}"


def _update(goal: Goal, issue: Issue, slate: Slate, milestone: str, owned: set[str]) -> ToUpdate | None:
    wanted = _assignees(goal, slate)
    has = {a.casefold() for a in issue.assignees}
    labels = _labels(goal)
    update = ToUpdate(
        goal=goal.path,
        number=issue.number,
        title=goal.title if issue.title.strip() != goal.title.strip() else None,
        add_assignees=tuple(a for a in wanted if a.casefold() not in has),
        remove_assignees=tuple(a for a in issue.assignees if a.casefold() not in {w.casefold() for w in wanted}),
        add_labels=tuple(label for label in labels if label not in issue.labels),
        remove_labels=tuple(label for label in issue.labels if label in owned and label not in labels),
        milestone=milestone if issue.milestone != milestone else None,
        old_milestone=issue.milestone if issue.milestone != milestone else None,
        lock=issue.comments is not None and not any(c.body.strip() == LOCK_TEXT for c in issue.comments),
        kept_labels=tuple(label for label in issue.labels if label not in owned),
    )
    changes = (update.title, update.add_assignees, update.remove_assignees, update.add_labels, update.remove_labels)
    return update if any(changes) or update.milestone or update.lock else None


def commands(plan: IssuePlan) -> list[Command]:
    """The `gh` commands that carry out the plan, in its order."""
    repo = ("--repo", plan.repository)
    out = []
    for name, colour in plan.create_labels:
        why = f"create the label {name}, which the plan uses"
        out.append(Command(("gh", "label", "create", name, *repo, "--color", colour), None, why))
    for new in plan.to_open:
        argv = ["gh", "issue", "create", *repo, "--title", new.title, "--label", ",".join(new.labels)]
        if new.assignees:
            argv += ["--assignee", ",".join(new.assignees)]
        argv += ["--milestone", new.milestone, "--body-file", "-"]
        out.append(Command(tuple(argv), new.body, f"{new.goal}: open its tracking issue"))
    for u in plan.to_update:
        number = str(u.number)
        edit = ["gh", "issue", "edit", number, *repo]
        edit += _option("--title", [u.title] if u.title else [])
        edit += _option("--add-assignee", u.add_assignees) + _option("--remove-assignee", u.remove_assignees)
        edit += _option("--add-label", u.add_labels) + _option("--remove-label", u.remove_labels)
        edit += _option("--milestone", [u.milestone] if u.milestone else [])
        if len(edit) > 6:
            out.append(Command(tuple(edit), None, f"{u.goal}: update #{number}"))
        if u.milestone:
            text = f"{CONTINUING_PREFIX} {plan.period}"
            why = f"{u.goal}: say on #{number} that the goal continues in {plan.period}"
            out.append(Command(("gh", "issue", "comment", number, *repo, "--body-file", "-"), text, why))
        if u.lock:
            out.append(Command(("gh", "issue", "lock", number, *repo), None, f"{u.goal}: lock #{number}"))
            why = f"{u.goal}: say on #{number} that it is for status updates only"
            out.append(Command(("gh", "issue", "comment", number, *repo, "--body-file", "-"), LOCK_TEXT, why))
    return out


def _option(name: str, values: Iterable[str]) -> list[str]:
    values = list(values)
    return [name, ",".join(values)] if values else []


def to_json(plan: IssuePlan) -> str:
    data = asdict(plan)
    data["commands"] = [{"argv": list(c.argv), "stdin": c.stdin} for c in commands(plan)]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_text(plan: IssuePlan, env: jinja2.Environment) -> str:
    return env.get_template("issues_plan.md.j2").render(plan=plan, fields=ISSUE_FIELDS)


def to_script(plan: IssuePlan, source: str) -> str:
    """A POSIX shell script of the plan's commands: read it, then run it (`sh issues.sh`)."""
    lines = [
        "#!/bin/sh",
        f"# The tracking issues of {plan.period} in {plan.repository} (milestone {plan.milestone}), planned by",
        f"# `slate issues` against {source}. Nothing has been sent: review each command, then run `sh FILE`.",
        "set -eu",
    ]
    for n, command in enumerate(commands(plan), 1):
        lines.append("")
        lines.append(f"# {n}. {_comment(command.why)}")
        line = " ".join(shlex.quote(arg) for arg in command.argv)
        if command.stdin is None:
            lines.append(line)
            continue
        end = _terminator(command.stdin, n)
        lines.append(f"{line} <<'{end}'")
        lines.append(command.stdin.rstrip("\n"))
        lines.append(end)
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _terminator(text: str, n: int) -> str:
    """A here-document delimiter that is no line of the text."""
    end = f"SLATE_BODY_{n}"
    lines = set(text.splitlines())
    while end in lines:
        end += "_"
    return end
