"""`slate watch` re-validates only what an edit can change, and gives what a fresh build gives after every edit.

Each edit below is made to a copy of the example slate (goals/), one after the other, and after each one the
watcher's rebuild (its parse and rule memos warm) is compared with `compile_slate` of the same tree from scratch: the
RFC, the PR body, and every diagnostic as `slate build` prints it (with its source line). The edits are chosen so
that each slate-wide input a kept rule result depends on changes at least once: another file's headings (anchors),
which files exist, the README's definitions that a chapter uses, the counts of goals, the team data, the
configuration, the word for the contact, and whether the period names tracking issues.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from rust_goals_slate.errors import BuildFailed
from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, Result, build, compile_slate, markdown_outputs
from rust_goals_slate.pipeline.watch import Rebuild, Watcher
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.sources import memo as read_memo
from tests.support import PUBLISHED, PUBLISHED_SITE, ROOT, corpus

EXAMPLE = ROOT / "goals"
SRC = "src/2027"


def _request(root: Path) -> Request:
    return Request(src=root / SRC, teams=root / "teams.yaml", out=root.parent / "out")


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


Edit = Callable[[Path], list[Path]]  # changes the tree at the root given; returns the paths it changed


def _in(name: str, old: str, new: str, count: int = 1) -> Edit:
    def edit(root: Path) -> list[Path]:
        path = root / SRC / name
        _edit(path, old, new, count)
        return [path]

    return edit


def _drop_line(name: str, start: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        path = root / SRC / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(start)]
        assert len(kept) == len(lines) - 1
        path.write_text("".join(kept), encoding="utf-8")
        return [path]

    return edit


def _add(name: str, text: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        _append(root / SRC / name, text)
        return [root / SRC / name]

    return edit


def _delete(name: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        (root / SRC / name).unlink()
        return [root / SRC / name]

    return edit


def _restore(name: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        shutil.copy(EXAMPLE / SRC / name, root / SRC / name)
        return [root / SRC / name]

    return edit


def _emptied(name: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        (root / SRC / name).write_text("", encoding="utf-8")
        return [root / SRC / name]

    return edit


def _new_goal(root: Path) -> list[Path]:
    path = root / SRC / "coherence-model-2.md"
    text = (root / SRC / "coherence-model.md").read_text(encoding="utf-8")
    path.write_text(text.replace("# A formal model of trait coherence", "# A second coherence model"), "utf-8")
    return [path]


def _teams(old: str, new: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        _edit(root / "teams.yaml", old, new)
        return [root / "teams.yaml"]

    return edit


_REPOSITORY = '\n[output.html]\ngit-repository-url = "https://github.com/example/goals"\n'


def _add_config(name: str, text: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        _append(root / name, text)
        return [root / name]

    return edit


def _config(name: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> list[Path]:
        _edit(root / name, old, new)
        return [root / name]

    return edit


def _everywhere(old: str, new: str) -> Edit:
    """One edit across every Markdown file of the period that has `old`, a regular expression (a rename, as
    goals#766)."""

    def edit(root: Path) -> list[Path]:
        changed = [p for p in sorted((root / SRC).glob("*.md")) if re.search(old, p.read_text(encoding="utf-8"))]
        for path in changed:
            path.write_text(re.sub(old, new, path.read_text(encoding="utf-8")), encoding="utf-8")
        assert changed
        return changed

    return edit


_KWAME = "## Summary\n\nAsk @kwame-mensa or @kwame-mensah.\n"
_ROADMAP_ROWS = "\n| Goal | Timespan | What and why |\n| --- | --- | --- |\n| (((ROADMAP ROWS: Sound footings))) |\n"
GOAL = "coherence-model.md"
EDITS: list[tuple[str, Edit]] = [
    ("prose", _add(GOAL, "\nA paragraph added at the end, with a [dangling][nowhere] reference.\n")),
    ("prose in the middle", _in(GOAL, "Coherence guarantees", "Coherence, as we know it, guarantees")),
    ("title", _in(GOAL, "# A formal model of trait coherence", "# A formal model of coherence")),
    ("metadata: status", _in(GOAL, "| Status           | Accepted", "| Status           | Proposed")),
    ("metadata: unknown need", _in(GOAL, "| Timespan ", "| Needs            | Money  |\n| Timespan ")),
    # unknown, so reported where the chapter names it; once a goal's field names it, reported there (validate)
    ("a chapter names an unknown handle", _add("highlights.md", "\nAsk @nvolkov about it.\n")),
    ("metadata: handle typo", _in(GOAL, "| Point of contact | @nvolkova ", "| Point of contact | @nvolkov  ")),
    ("team asks: level", _in(GOAL, "| [spec]  | Medium", "| [spec]  | Small ")),
    ("team asks: unknown team", _in(GOAL, "| [spec]  |", "| [spex]  |")),
    ("team asks: spelling", _in(GOAL, "| [spex]  |", "| [Spec]  |")),
    # a large goal becomes medium: the README's counts of large and medium goals change, and nothing else they read
    ("team asks: the goal's size", _in(GOAL, "| [types] | Large ", "| [types] | Medium")),
    (
        "a link to another file's heading",
        _add("faq.md", "\nSee [the status quo](./coherence-model.md#the-status-quo).\n"),
    ),
    ("that heading renamed", _in(GOAL, "### The status quo", "### Where we are")),
    ("that heading back", _in(GOAL, "### Where we are", "### The status quo")),
    ("a linked file deleted", _delete("ffi-slice-abi.md")),
    ("the linked file added again", _restore("ffi-slice-abi.md")),
    ("a goal file added", _new_goal),
    ("a goal file deleted", _delete("fallible-collections.md")),
    ("README: a count in the prose", _add("README.md", "\nThe slate has 11 project goals.\n")),
    ("a goal leaves the slate", _in("c-header-export.md", "| Proposed ", "| Not accepted ")),
    ("README: a definition a chapter uses", _add("README.md", "\n[blog]: https://blog.rust-lang.org/\n")),
    ("a chapter uses it", _add("faq.md", "\nRead [the blog][blog].\n")),
    ("README: the definition removed", _in("README.md", "[blog]: https://blog.rust-lang.org/", "")),
    ("README: a heading jump", _in("README.md", "## Why we set goals", "#### Why we set goals")),
    ("metadata: status back", _in(GOAL, "| Status           | Proposed", "| Status           | Accepted")),
    ("configuration: the goals repository", _add_config("book.toml", _REPOSITORY)),
    ("tracking issue removed", _drop_line(GOAL, "| Tracking issue ")),
    ("no goal names a tracking issue", _everywhere(r"\| Tracking issue +\|[^\n]*\n", "")),
    ("two points of contact", _in("incremental-linking.md", "| @priya-raman  ", "| @priya-raman @tkovac")),
    ("no point of contact", _in("rustdoc-impl-search.md", "| @fatima-zahra  |", "|                |")),
    ("the contact key renamed everywhere", _everywhere(r"\| Point of contact \|", "| Contact          |")),
    ("a chapter names a team", _add("highlights.md", "\nThe [spec] team reviews the chapter.\n")),
    ("team data: a team removed", _teams("  - key: spec\n", "  - key: spec-old\n")),
    ("team data: a name", _teams("name: Наталья Волкова", "name: Natalia Volkova")),
    ("configuration: a badge", _config("book.toml", '"TBD" = ', '"To be decided" = ')),
    ("a chapter links to a heading the RFC lacks", _add("highlights.md", "\nSee [below](#nowhere).\n")),
    ("a chapter uses a linkifier", _add("highlights.md", "\nSee [#1234] for the history.\n")),
    ("configuration: a linkifier", _config("book.toml", '"#([0-9]+)" = ', '"#x([0-9]+)" = ')),
    ("configuration: ask kinds", _config("rust-project-goals.toml", '"Miscellaneous" = ', '"Other" = ')),
    (
        "README: a definition into a goal's heading",
        _add("README.md", "\nSee [the FAQ][faq-q].\n\n[faq-q]: ./dropck-soundness.md#frequently-asked-questions\n"),
    ),
    ("that heading renamed too", _in("dropck-soundness.md", "## Frequently asked questions", "## Questions")),
    # jpark-dev's label in the RFC becomes "Jun Park": pieces that name jpark-dev, from unchanged goals, change
    ("the one of two people who share a name leaves", _everywhere(r"@jpark-rs\b", "@lindqvist")),
    # back through its "what and why" (not a people field: those stay as they are): only the labels change
    (
        "that person named in a cell",
        _in("dropck-soundness.md", "dangling references", "dangling references (@jpark-rs)"),
    ),
    # the README's headings after the chapter are then code: the render reads each piece given the fence open before it
    ("a chapter ends in an open code fence", _add("highlights.md", "\n```text\nnot closed\n")),
    ("the fence closed", _in("highlights.md", "not closed\n", "not closed\n```\n")),
    # its headings are then written twice: as the README's, and as a chapter's, with the markers of their ids that
    # a link to one of them as a chapter's heading resolves to
    (
        "the README lists itself as a chapter",
        _add("README.md", "\n## Again\n\n- [The RFC again](./README.md)\n\nSee [why](./README.md#motivation).\n"),
    ),
    # the rules over the whole slate (validate/memo.py): each input of their keys changes alone at least once
    ("a handle and its typo named in prose", _in("cargo-build-reports.md", "## Summary\n", _KWAME)),
    ("a task owner becomes the typo", _in("cargo-build-reports.md", "], @kwame-mensah |", "], @kwame-mensa  |")),
    ("team data: the typo becomes a person", _teams("people:\n", "people:\n  - login: kwame-mensa\n    name: K\n")),
    ("configuration: a user ignored", _config("book.toml", '"@triagebot",', '"@triagebot", "@nvolkov",')),
    ("a chapter spells a handle differently", _add("highlights.md", "\nThanks to @Lindqvist.\n")),
    ("team data: a team archived", _teams("  - key: infra\n", "  - key: infra\n    archived: true\n")),
    ("team asks: the archived team", _in("coherence-model.md", "| [types] |", "| [infra] |")),
    ("a champion of the archived team", _in("cargo-build-reports.md", "| [cargo] champion |", "| [infra] champion |")),
    (
        "metadata: a roadmap that does not exist",
        _in("safety-comments.md", "| Sound foundations ", "| Sound fundations  "),
    ),
    (
        "a subgoal's roadmap that does not exist",
        _in("incremental-linking.md", "| Builds at scale   ", "| Builds at scail   "),
    ),
    ("a chapter row of a roadmap's goals", _add("roadmaps.md", _ROADMAP_ROWS)),
    # the row's roadmap now exists, and no goal names it
    ("a roadmap renamed", _in("roadmap-sound-foundations.md", "| Sound foundations ", "| Sound footings    ")),
    ("a chapter lists the roadmaps of an area", _add("areas.md", "\n(((ROADMAPS: Certified software)))\n")),
    ("an area page renamed", _in("area-certified-systems.md", "| Certified systems ", "| Certified software")),
    ("the contact key of one goal", _in("dropck-soundness.md", "| Contact          |", "| Point of contact |")),
    (
        "the contact key of one roadmap",
        _in("roadmap-builds-at-scale.md", "| Contact          |", "| Point of contact |"),
    ),
    ("no goal highlights 'Better docs'", _everywhere(r"Better docs +\|", "Faster builds |")),
    ("README: a list of goals by status", _add("README.md", "\n<!-- GOALS `Withdrawn` -->\n")),
    ("a status written in capitals", _in("spec-glossary.md", "| Proposed ", "| PROPOSED ")),
    ("a chapter lists the funding of a roadmap", _add("funding.md", "\n(((FUNDING TABLE: Builds at scale)))\n")),
    ("that goal moves to another roadmap", _in("ci-build-cache.md", "| Builds at scale ", "| Seamless interop")),
    ("a chapter lists the goals that need money", _add("help-wanted.md", "\n(((GOALS WITH NEEDS: Money)))\n")),
    ("that need renamed", _everywhere(r"\| Money  \|", "| Mony   |")),
    ("a goal no longer needs funding", _drop_line("ci-build-cache.md", "| Needs ")),
    ("a goal's funding section renamed", _in("ffi-slice-abi.md", "## Funding\n", "## Money matters\n")),
    ("the other goal's funding section renamed", _in("ci-build-cache.md", "## Funding\n", "## Money matters\n")),
    (
        "the one goal that needs a contributor has no help wanted",
        _in("cargo-build-reports.md", "## Help wanted\n", "## Wanted\n"),
    ),
    ("a chapter emptied", _emptied("faq.md")),
]


def _fresh(root: Path) -> tuple[str, str, list[str]]:
    request = _request(root)
    env = template_env()
    result = compile_slate(request, env=env)
    body = dict(markdown_outputs(request, result, env))[request.out / "pr-body.md"]
    return result.text, body, [d.format() for d in result.diagnostics]


def _seen(watcher: Watcher, rebuild: Rebuild) -> tuple[str, str, list[str]]:
    assert rebuild.failure is None and rebuild.slate is not None
    request = watcher.request
    # the PR body of the rebuild's slate, from the watcher's kept pieces as its own call makes it (it writes it only
    # when there are no errors: then what it wrote is compared with `slate build`'s, _same_files_as_slate_build)
    result = Result(rebuild.text, rebuild.slate)
    body = dict(markdown_outputs(request, result, template_env(), watcher.pr_body))[request.out / "pr-body.md"]
    return rebuild.text, body, [d.format() for d in rebuild.diagnostics]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.mark.parametrize("settled", [False, True], ids=["files just saved", "files settled"])
def test_every_edit_in_turn_gives_what_a_fresh_build_gives(
    copy: Path, settled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settled: every file counts as older than the read memo's SETTLED_NS (sources/memo.py), so each rebuild reads
    again only the files the edit names (just saved, every file is read again)."""
    if settled:
        monkeypatch.setattr(read_memo, "SETTLED_NS", 0)
    watcher = Watcher(_request(copy))
    assert _seen(watcher, watcher.rebuild()) == _fresh(copy)
    built = 0
    for name, edit in EDITS:
        rebuild = watcher.rebuild(edit(copy))
        got = _seen(watcher, rebuild)
        want = _fresh(copy)
        assert got[0] == want[0], f"after '{name}': the RFC differs"
        assert got[1] == want[1], f"after '{name}': the PR body differs"
        assert got[2] == want[2], f"after '{name}': the diagnostics differ"
        built += _same_files_as_slate_build(copy, watcher, rebuild, name)
    assert 0 < built < len(EDITS)  # both cases: a build that writes, a build that fails


def _same_files_as_slate_build(root: Path, watcher: Watcher, rebuild: Rebuild, name: str) -> bool:
    """The watch's output folder holds what `slate build` writes into a fresh folder (or, when the build fails, what
    the watch wrote before the errors: it writes nothing while there are errors, as the build)."""
    fresh = root.parent / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        build(replace(_request(root), out=fresh))
    except BuildFailed:
        assert rebuild.written == (), f"after '{name}': the watch wrote despite errors"
        return False
    for output in ("rfc.md", "pr-body.md"):
        seen = (watcher.request.out / output).read_bytes()
        assert seen == (fresh / output).read_bytes(), f"after '{name}': {output} differs from slate build's"
    return True


# these undo or build on an earlier edit of the list
FOLLOW_UPS = {
    "team asks: spelling",
    "that heading back",
    "README: the definition removed",
    "metadata: status back",
    "the fence closed",
    "a task owner becomes the typo",
    "team data: the typo becomes a person",
    "team asks: the archived team",
    "a champion of the archived team",
    "the contact key of one goal",
    "the contact key of one roadmap",
    "a status written in capitals",
    "that goal moves to another roadmap",
    "that need renamed",
    "the other goal's funding section renamed",
}


@pytest.mark.parametrize("name", [name for name, _ in EDITS if name not in FOLLOW_UPS])
def test_each_edit_alone(copy: Path, name: str) -> None:
    """Each edit on its own, from the example as it is."""
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    changed = dict(EDITS)[name](copy)
    assert _seen(watcher, watcher.rebuild(changed)) == _fresh(copy)


def test_an_edit_rechecks_only_the_edited_file(copy: Path) -> None:
    """A prose edit of one goal: its file's and its goal's rules run again, every other file's are kept."""
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    files = len(list((copy / SRC).glob("*.md")))
    _add(GOAL, "\nOne more sentence.\n")(copy)
    watcher.rebuild([copy / SRC / GOAL])
    rules = watcher.rules
    # the file's rules and the goal's (they read its file too); no rule over the whole slate
    assert set(rules.computed) == {("text", f"{SRC}/{GOAL}"), ("goal", f"{SRC}/{GOAL}")}
    assert rules.reused >= files
    again = watcher.rebuild()
    assert again.reparsed == () and watcher.rules.computed == []


def test_a_title_edit_keeps_the_rules_over_the_whole_slate(copy: Path) -> None:
    """A title edit changes nothing that the rules over the whole slate read but the title (people, teams, themes,
    metadata, what the README's directives select): only the goal's file and the goal are checked again."""
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    _in(GOAL, "# A formal model of trait coherence", "# A formal model of coherence")(copy)
    watcher.rebuild([copy / SRC / GOAL])
    assert set(watcher.rules.computed) == {("text", f"{SRC}/{GOAL}"), ("goal", f"{SRC}/{GOAL}")}
    _in(GOAL, "| Point of contact | @nvolkova ", "| Point of contact | @nvolkov  ")(copy)
    watcher.rebuild([copy / SRC / GOAL])
    assert ("handles", "") in watcher.rules.computed and ("readme", "") not in watcher.rules.computed


def test_a_heading_edit_rechecks_the_files_that_link_into_it(copy: Path) -> None:
    """faq.md links to a heading of the goal: renaming the heading checks faq.md's links again, and no other file's
    (the goal's title is a heading too, so a title edit is the same case)."""
    watcher = Watcher(_request(copy))
    _add("faq.md", "\nSee [the status quo](./coherence-model.md#the-status-quo).\n")(copy)
    watcher.rebuild()
    _in(GOAL, "### The status quo", "### Where we are")(copy)
    rebuild = watcher.rebuild([copy / SRC / GOAL])
    texts = {path for rule, path in watcher.rules.computed if rule == "text"}
    assert texts == {f"{SRC}/{GOAL}", f"{SRC}/faq.md"}
    assert any(d.code == "missing-anchor" and d.location.path == f"{SRC}/faq.md" for d in rebuild.diagnostics)


def test_a_title_edit_rerenders_only_the_pieces_that_read_the_goal(copy: Path) -> None:
    """The render keeps each directive's expansion and each goal's team-asks rows (render/pieces.py): a title edit
    renders again the goal's own rows and the directives that select the goal, and keeps the rest."""
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    _in(GOAL, "# A formal model of trait coherence", "# A formal model of coherence")(copy)
    watcher.rebuild([copy / SRC / GOAL])
    pieces = watcher.pieces
    asks = {path for rule, path in pieces.computed if rule.startswith("team asks")}
    assert asks == {f"{SRC}/{GOAL}"}
    assert pieces.reused > len(pieces.computed) > 0
    again = watcher.rebuild()
    assert pieces.computed == [] and again.text == watcher.rebuild().text


def test_a_title_edit_rewrites_only_the_goals_row_of_the_pr_body(copy: Path) -> None:
    """The PR body keeps each goal's row and each team's line (review/pr_body.py): a title edit writes again the
    goal's row and the lines of the teams it asks, in one pass (the labels of the last rebuild hold)."""
    watcher = Watcher(_request(copy))
    watcher.rebuild()
    _in(GOAL, "# A formal model of trait coherence", "# A formal model of coherence")(copy)
    rebuild = watcher.rebuild([copy / SRC / GOAL])
    memo = watcher.pr_body
    assert set(memo.computed) == {
        ("pr body row (pass 2)", f"{SRC}/{GOAL}"),
        ("pr body team", "spec"),
        ("pr body team", "types"),
    }
    assert memo.reused > 0 and watcher.request.out / "pr-body.md" in rebuild.written
    assert _seen(watcher, watcher.rebuild())[1] == _fresh(copy)[1]
    assert memo.computed == []


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2024h2", "2025h1", "2025h2", "2026"])
def test_published_periods_after_edits(tmp_path: Path, period: str) -> None:
    """A real period (its team data read in place): the first goal's title and prose edited, a goal deleted, a
    sentence added to the README; after each, the watch gives what a fresh build gives (the RFC, the PR body, the
    diagnostics)."""
    source = corpus(period)
    root = tmp_path / period
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("team", "published-rfc.md"))
    request = Request(src=root / "src" / period, teams=source / "team", out=tmp_path / "out", options=_options(period))
    watcher = Watcher(request)
    first = watcher.rebuild()
    assert first.slate is not None and len(first.slate.goals) > 2
    goals = [root / g.path for g in first.slate.goals]

    def title(_: Path) -> list[Path]:
        text = goals[0].read_text(encoding="utf-8")
        goals[0].write_text(text.replace("\n", " (edited)\n", 1), encoding="utf-8")
        return [goals[0]]

    def prose(_: Path) -> list[Path]:
        _append(goals[1], "\nA sentence about [nothing][nowhere] and @nobody-at-all.\n")
        return [goals[1]]

    def deleted(_: Path) -> list[Path]:
        goals[-1].unlink()
        return [goals[-1]]

    def readme(_: Path) -> list[Path]:
        _append(root / "src" / period / "README.md", "\nThe slate has 3 project goals.\n")
        return [root / "src" / period / "README.md"]

    for name, edit in [("title", title), ("prose", prose), ("deleted", deleted), ("readme", readme)]:
        rebuild = watcher.rebuild(edit(root))
        env = template_env()
        fresh = compile_slate(request, env=env)
        assert rebuild.text == fresh.text, f"{period}, after '{name}': the RFC differs"
        seen = [d.format() for d in rebuild.diagnostics]
        assert seen == [d.format() for d in fresh.diagnostics], f"{period}, after '{name}': the diagnostics differ"
        body = dict(markdown_outputs(request, fresh, env))[request.out / "pr-body.md"]
        assert _seen(watcher, rebuild)[1] == body, f"{period}, after '{name}': the PR body differs"


def _options(period: str) -> Options:
    number, start = PUBLISHED[period]
    return Options(site_url=PUBLISHED_SITE, rfc_number=number, start_date=start)


@pytest.mark.parametrize("skeleton", ["built-in", "--readme"])
def test_a_period_without_readme(tmp_path: Path, skeleton: str) -> None:
    """The README is the built-in skeleton (written anew on every rebuild) or a file given with --readme: a goal's
    title, a goal deleted, a goal's asks in the current format (the period's format changes: every row of the PR
    body's table gets a Size column) and (with --readme) the skeleton edited give what a fresh build gives."""
    root = tmp_path / "no-readme"
    shutil.copytree(ROOT / "tests" / "data" / "no-readme", root)
    src = root / "src" / "2025h2"
    readme = None
    if skeleton == "--readme":
        readme = tmp_path / "skeleton.md"
        readme.write_text((EXAMPLE / SRC / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    request = Request(src=src, teams=root / "teams.yaml", out=tmp_path / "out", readme=readme)
    watcher = Watcher(request)
    first = watcher.rebuild()
    assert first.slate is not None
    goal = root / first.slate.goals[0].path

    def title() -> list[Path]:
        goal.write_text(goal.read_text(encoding="utf-8").replace("\n", " (edited)\n", 1), encoding="utf-8")
        return [goal]

    def deleted() -> list[Path]:
        last = root / first.slate.goals[-1].path if first.slate else goal
        last.unlink()
        return [last]

    def current_format() -> list[Path]:
        path = src / "doc-search.md"
        text = path.read_text(encoding="utf-8")
        asks = "## Team asks\n\n| Team | Support level | Notes |\n| --- | --- | --- |\n| [rustdoc] | Small | |\n"
        path.write_text(text[: text.index("## Ownership and team asks")] + asks, encoding="utf-8")
        return [path]

    def skeleton_edit() -> list[Path]:
        if readme is None:
            return []
        _append(readme, "\nThe slate has 2 project goals.\n")
        return [readme]

    edits = [("title", title), ("deleted", deleted), ("current format", current_format), ("skeleton", skeleton_edit)]
    for name, edit in edits:
        rebuild = watcher.rebuild(edit())
        env = template_env()
        fresh = compile_slate(request, env=env)
        assert rebuild.text == fresh.text, f"{skeleton}, after '{name}': the RFC differs"
        seen = [d.format() for d in rebuild.diagnostics]
        assert seen == [d.format() for d in fresh.diagnostics], f"{skeleton}, after '{name}': the diagnostics differ"
        body = dict(markdown_outputs(request, fresh, env))[request.out / "pr-body.md"]
        assert _seen(watcher, rebuild)[1] == body, f"{skeleton}, after '{name}': the PR body differs"
