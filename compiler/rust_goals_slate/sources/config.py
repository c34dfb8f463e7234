"""Configuration: `book.toml` ([preprocessor.goals]) and `rust-project-goals.toml` ([team_asks]).

Ask kinds keep the file's order: it sets the column order of the 2025h1 team tables and of VALID TEAM ASKS.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import GOALS_REPOSITORY_NAMES, AskKind, Config, Options
from rust_goals_slate.model.repository_format import SITE_URL
from rust_goals_slate.records import record
from rust_goals_slate.sources import fasttoml, shapes
from rust_goals_slate.sources.memo import ReadMemo

if TYPE_CHECKING:
    from rust_goals_slate.sources.toml_keys import KeyPositions

# The ask kinds of the goals repository, used when a slate has no `[team_asks]` (2024h2 has no such file): the
# first list the repository configured (2025h1), in its order, with its short names and descriptions.
DEFAULT_ASK_KINDS: tuple[AskKind, ...] = (
    AskKind("Allocate funds", "Alloc funds", "allocate funding"),
    AskKind("Discussion and moral support", "Good vibes",
            "approve of this direction and be prepared for light discussion on Zulip or elsewhere"),
    AskKind("Deploy to production", "Deploy", "deploy code to production (e.g., on crates.io)"),
    AskKind("Standard reviews", "r?", "review PRs (PRs are not expected to be unduly large or complicated)"),
    AskKind("Dedicated reviewer", "Ded. r?",
            "assign a specific person (or people) to review a series of PRs, appropriate for large or complex asks"),
    AskKind("Lang-team champion", "Champion",
            "member of lang team or advisors who will champion the design within team"),
    AskKind("Lang-team experiment", "Experiment",
            "begin a [lang-team experiment](https://lang-team.rust-lang.org/how_to/experiment.html) authorizing "
            "experimental impl of lang changes before an RFC is written; limited to trusted contributors"),
    AskKind("Design meeting", "Design mtg.",
            "hold a synchronous meeting to review a proposal and provide feedback (no decision expected)"),
    AskKind("RFC decision", "RFC", "review an RFC and deciding whether to accept"),
    AskKind("RFC secondary review", "RFC rev.", "briefly review an RFC without need of a formal decision"),
    AskKind("Org decision", "Org", "reach a decision on an organizational or policy matter"),
    AskKind("MCP decision", "MCP", "accept a [Major Change Proposal](https://forge.rust-lang.org/compiler/mcp.html)"),
    AskKind("ACP decision", "ACP",
            "accept an [API Change Proposal](https://std-dev-guide.rust-lang.org/development/feature-lifecycle.html)"),
    AskKind("Finalize specification text", "Spec text",
            "assign a spec team liaison to finalize edits to Rust reference/specification"),
    AskKind("Stabilization decision", "Stabilize.", "reach a decision on a stabilization proposal"),
    AskKind("Policy decision", "Policy", "make a decision related to team policy"),
    AskKind("FCP decision(s)", "FCP",
            "make formal decision(s) that require 'checkboxes' and a FCP (Final Comment Period)"),
    AskKind("Blog post approval", "Blog", "approve of posting about this on the main Rust blog"),
    AskKind("Miscellaneous", "Misc", "do some one-off action as described in the notes"),
)  # fmt: skip


@record
class _File:
    """A configuration file as read: its path relative to the input root, its data, and where its keys are."""

    rel: str
    data: dict[str, Any]
    text: str

    @cached_property  # scanned (and its module imported) only when there is a problem to place
    def keys(self) -> KeyPositions:
        from rust_goals_slate.sources.toml_keys import key_positions

        return key_positions(self.text)

    def diagnostic(self, key: tuple[str, ...], severity: Severity, code: str, message: str, **more: Any) -> Diagnostic:
        """A problem with a key, at the key's line (or its nearest parent's), with that line shown."""
        line, col = self.keys.find(*key)
        return Diagnostic(
            Location(self.rel, line, col), severity, code, message, source_line=self.keys.source_line(line), **more
        )


def config_unreadable(rel: str, message: str) -> Diagnostic:
    """A configuration file (book.toml, rust-project-goals.toml, slate.toml) that cannot be read."""
    return Diagnostic(Location(rel), Severity.ERROR, "config-unreadable", message)


def config_syntax(rel: str, line: int, message: str, source_line: str | None = None) -> Diagnostic:
    """A configuration file that is not TOML; `source_line`: its line, which only the file's reader has (a TOML
    file is not a document of the slate, whose lines the pipeline attaches)."""
    return Diagnostic(Location(rel, line), Severity.ERROR, "config-syntax", message, source_line=source_line)


def _load_toml(path: Path, rel: str) -> tuple[_File, list[Diagnostic]]:
    """The file as read; without data after a reported problem (unreadable, too large, invalid, nested too deeply)."""
    try:
        size = path.stat().st_size
        if size > shapes.MAX_DATA_BYTES:
            return _File(rel, {}, ""), [shapes.file_too_large(rel, size, shapes.MAX_DATA_BYTES)]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _File(rel, {}, ""), [config_unreadable(rel, f"cannot read: {exc}")]
    data = fasttoml.loads(text)  # plain TOML, without importing tomllib; None: tomllib decides
    if data is not None:
        return _File(rel, data, text), []
    import tomllib

    try:
        return _File(rel, tomllib.loads(text), text), []
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        source = _File(rel, {}, text).keys.source_line(line)
        return _File(rel, {}, text), [config_syntax(rel, line, f"invalid TOML: {exc}", source)]
    except RecursionError:
        message = "invalid TOML: arrays or tables nested too deeply"
        return _File(rel, {}, text), [config_syntax(rel, 0, message)]


def load_config(
    root: Path,
    period: str,
    book_toml: Path | None,
    goals_toml: Path | None,
    options: Options,
    memo: ReadMemo | None = None,
) -> tuple[Config, list[Diagnostic]]:
    """The configuration; `slate watch` passes a `memo`, which gives back the last rebuild's (the same object) while
    both files are unchanged (sources/memo.py)."""
    if memo is None:
        return _load_config(root, period, book_toml, goals_toml, options)
    stamps = tuple(memo.stamp(str(path)) for path in (book_toml, goals_toml) if path is not None)
    inputs = (root, period, book_toml, goals_toml, options)
    kept: tuple[Config, tuple[Diagnostic, ...]] | None = memo.reuse("configuration", stamps, inputs)
    if kept is None:
        config, problems = _load_config(root, period, book_toml, goals_toml, options)
        kept = config, tuple(problems)
        memo.keep("configuration", stamps, inputs, kept)
    return kept[0], list(kept[1])


def _load_config(
    root: Path, period: str, book_toml: Path | None, goals_toml: Path | None, options: Options
) -> tuple[Config, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    badges: list[tuple[str, str]] = []
    linkifiers: list[tuple[str, str]] = []
    users: dict[str, str] = {}
    ignore: set[str] = set()
    repository = options.goals_repo or GOALS_REPOSITORY_NAMES[0]
    site_url = SITE_URL
    if book_toml is not None:
        book_file, found = _load_toml(book_toml, _rel(book_toml, root))
        problems += found
        named_site, found = _site_url(book_file)
        problems += found
        site_url = named_site or site_url
        if options.goals_repo is None:
            named_repository, found = _goals_repository(book_file)
            problems += found
            repository = named_repository or repository
        goals, found = _table(book_file, ("preprocessor", "goals"))
        problems += found
        links, found = _strings(book_file, ("preprocessor", "goals", "links"), urls=True)
        problems += found
        badges = list(links.items())
        patterns, found = _strings(book_file, ("preprocessor", "goals", "linkifiers"), urls=True)
        problems += found
        linkifiers, found = _linkifiers(book_file, patterns)
        problems += found
        displays, found = _strings(book_file, ("preprocessor", "goals", "users"))
        problems += found
        for handle, display in displays.items():
            users[handle.lstrip("@").casefold()] = display
        try:
            ignore = {handle.lstrip("@").casefold() for handle in shapes.strings(goals, "ignore_users")}
        except shapes.ShapeError as exc:
            problems.append(_shape_problem(book_file, ("preprocessor", "goals", "ignore_users"), exc))
    kinds: list[AskKind] = []
    if goals_toml is not None:
        goals_file, found = _load_toml(goals_toml, _rel(goals_toml, root))
        problems += found
        kinds, found = _ask_kinds(goals_file)
        problems += found
    configured = bool(kinds)
    if not kinds:
        kinds = list(DEFAULT_ASK_KINDS)
    return (
        Config(
            period=period,
            ask_kinds=tuple(kinds),
            ask_kinds_configured=configured,
            badges=tuple(badges),
            linkifiers=tuple(linkifiers),
            users=users,
            ignore_users=frozenset(ignore),
            options=options,
            goals_repository=repository,
            site_url=options.site_url.rstrip("/") + "/" if options.site_url else site_url,
        ),
        problems,
    )


def _table(file: _File, key: tuple[str, ...]) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The table at KEY ({} if absent), or {} and a config-shape problem if KEY or a parent is not a table."""
    data = file.data
    for n, part in enumerate(key):
        try:
            data = shapes.table(data, part)
        except shapes.ShapeError as exc:
            return {}, [_shape_problem(file, key[: n + 1], exc)]
    return data, []


def _strings(file: _File, key: tuple[str, ...], *, urls: bool = False) -> tuple[dict[str, str], list[Diagnostic]]:
    """The table of strings at KEY; an entry that is not a string, holds a control or invisible character, or (with
    `urls`) cannot stand as a link target (a blank, a line break, a bracket: it would end the link in the RFC, or
    forge a line of it) is reported (config-shape) and left out."""
    table, problems = _table(file, key)
    entries = {}
    for name, value in table.items():
        try:
            if not isinstance(value, str):
                raise shapes.ShapeError(name, "a string", value)
            shapes.visible(name, value)
            if urls and not _LINKABLE.fullmatch(value):
                raise shapes.ShapeError(name, "a URL without blanks, line breaks or brackets", value)
        except shapes.ShapeError as exc:
            problems.append(_shape_problem(file, (*key, name), exc))
            continue
        entries[name] = value
    return entries, problems


def _shape_problem(file: _File, key: tuple[str, ...], exc: shapes.ShapeError) -> Diagnostic:
    message = f"{exc.message(prefix='.'.join(key[:-1]) + '.' if len(key) > 1 else '')}; the setting is ignored"
    return file.diagnostic(key, Severity.ERROR, "config-shape", message)


def _linkifiers(file: _File, entries: dict[str, str]) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """The usable linkifiers of book.toml; each pattern and template is checked (sources/linkifiers.py)."""
    from rust_goals_slate.sources.linkifiers import pattern_problem, template_problem

    problems: list[Diagnostic] = []
    usable = []
    for pattern, template in entries.items():
        key = ("preprocessor", "goals", "linkifiers", pattern)
        if (why := pattern_problem(pattern)) is not None:
            problems.append(
                file.diagnostic(key, Severity.ERROR, "bad-linkifier", f"linkifier pattern {pattern!r} {why}")
            )
            continue
        if (why := template_problem(template, re.compile(pattern).groups)) is not None:
            message = f"linkifier template {template!r} {why}"
            problems.append(file.diagnostic(key, Severity.ERROR, "bad-linkifier", message))
            continue
        if re.search(r"github\.com/[^\s]*/issue/", template):
            problems.append(
                file.diagnostic(
                    key,
                    Severity.WARNING,
                    "dead-link-template",
                    f"linkifier template {template!r} has an '/issue/' path, which GitHub does not serve",
                    hint="GitHub issue URLs use '/issues/'",
                )
            )
        usable.append((pattern, template))
    return usable, problems


_GITHUB_REPOSITORY = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def _ask_kinds(file: _File) -> tuple[list[AskKind], list[Diagnostic]]:
    """`[team_asks]` in either layout the repository used (repository_format.ASK_KIND_LAYOUTS): `"Kind" = "what the
    team is asked"` (Dec 2024 to Feb 2025: the name is its own short form) or `"Kind" = { short, about, elide }`."""
    asks = file.data.get("team_asks", {})
    if not isinstance(asks, dict):
        message = "[team_asks] must be a table of ask kinds"
        return [], [file.diagnostic(("team_asks",), Severity.ERROR, "bad-ask-kind", message)]
    problems: list[Diagnostic] = []
    kinds = []
    for name, spec in asks.items():
        if isinstance(spec, str):
            kinds.append(AskKind(str(name), str(name), spec))
        elif isinstance(spec, dict):
            short, about = spec.get("short", name), spec.get("about", "")
            kinds.append(AskKind(str(name), str(short), str(about), bool(spec.get("elide", False))))
        else:
            problems.append(
                file.diagnostic(
                    ("team_asks", str(name)),
                    Severity.ERROR,
                    "bad-ask-kind",
                    f"ask kind {name!r} must be a description or a table {{ short, about, elide }}",
                    hint=f'write `"{name}" = {{ short = "…", about = "…" }}`',
                )
            )
    return kinds, problems


def _goals_repository(file: _File) -> tuple[str | None, list[Diagnostic]]:
    """OWNER/NAME of `[output.html] git-repository-url`, the repository the goals' tracking issues live in."""
    output = file.data.get("output", {})
    html = output.get("html", {}) if isinstance(output, dict) else None
    url = html.get("git-repository-url") if isinstance(html, dict) else None
    if url is None:
        return None, []
    if m := _GITHUB_REPOSITORY.match(str(url).strip()):
        return f"{m.group(1)}/{m.group(2)}", []
    return None, [
        file.diagnostic(
            ("output", "html", "git-repository-url"),
            Severity.WARNING,
            "goals-repository-url",
            f"git-repository-url {url!r} is not a GitHub repository URL; "
            f"tracking issues are checked against {GOALS_REPOSITORY_NAMES[0]}",
            hint='write `git-repository-url = "https://github.com/OWNER/NAME"`, or pass --goals-repo OWNER/NAME',
        )
    ]


_LINKABLE = re.compile(r"[^\s<>()\[\]\"'`\\\x00-\x1f\x7f-\x9f]+")


def _site_url(file: _File) -> tuple[str | None, list[Diagnostic]]:
    """The site book.toml names: `[output.html] cname` (a custom domain, with site-url's path), or a site-url that is
    a whole URL. A site-url that is only a path (`/goals/`) names no host, so it names no site. Every goal link of
    the RFC starts with it, so one holding a blank, a line break or a bracket (which would end the link, or forge a
    line of the RFC) is an error and not used."""
    book = file.data
    output = book.get("output", {})
    html = output.get("html", {}) if isinstance(output, dict) else None
    if not isinstance(html, dict):
        return None, []
    cname, path = html.get("cname"), html.get("site-url")
    path = path.strip() if isinstance(path, str) else ""
    if path and not _LINKABLE.fullmatch(path):
        message = f"site-url {path!r} holds a blank, a line break or a character a link cannot hold; it is ignored"
        return None, [file.diagnostic(("output", "html", "site-url"), Severity.ERROR, "config-shape", message)]
    if re.match(r"https?://[^/\s]+", path):
        return path.rstrip("/") + "/", []
    if isinstance(cname, str) and re.fullmatch(r"[A-Za-z0-9.-]+", cname.strip()):
        return f"https://{cname.strip()}" + ("/" + path.strip("/") + "/" if path.strip("/") else "/"), []
    return None, []


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
