"""The one link resolver (rust_goals_slate.parse.links): what validate reports and what render formats come from it,
and render's own problems do not depend on the order in which the RFC's parts are rendered."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from rust_goals_slate.errors import Severity
from rust_goals_slate.model import Slate
from rust_goals_slate.parse.links import destination, reference
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.render.references import Found, References
from tests.check_cases import BASE, src_of
from tests.diagnostic_helpers import edit
from tests.support import ROOT

ALPHA = "src/2099/alpha.md"
BETA = "src/2099/beta.md"


@cache
def _slate() -> Slate:
    return compile_slate(Request(src=src_of(BASE), teams=BASE / "teams.yaml")).slate


def test_destinations() -> None:
    slate = _slate()
    glued = destination(slate, ALPHA, "https://example.org/2099/https://doc.rust-lang.org/cargo/")
    assert (glued.kind, glued.href, glued.problem and glued.problem.code) == (
        "url",
        "https://doc.rust-lang.org/cargo/",
        "url-in-url",
    )
    assert destination(slate, ALPHA, "#summary").fragment == "summary"
    page = destination(slate, ALPHA, "./beta.html#x")
    assert (page.kind, page.href, page.fragment, page.site_page) == ("file", BETA, "x", True)
    missing = destination(slate, ALPHA, "./gamma.md")
    assert missing.problem is not None and missing.problem.message == (
        "link './gamma.md' points to src/2099/gamma.md, which does not exist"
    )
    assert destination(slate, ALPHA, "../../../x.md").kind == "outside"
    assert destination(slate, ALPHA, "./diagram.png").kind == "other"


def test_references() -> None:
    slate = _slate()
    kinds = {
        written: reference(slate, [ALPHA], written, label, ref, image).kind
        for written, label, ref, image in [
            ("[lang]", "lang", None, False),  # a team
            ("![Help wanted][]", "Help wanted", "", True),  # a badge
            ("[rust-lang/rust#1]", "rust-lang/rust#1", None, False),  # a linkifier
            ("[x]", "x", None, False),  # a task box
            ("[@alice-a]", "@alice-a", None, False),  # a person in brackets
            ("[optional, maybe]", "optional, maybe", None, False),  # brackets in prose
            ("[nowhere]", "nowhere", None, False),
            ("[text][nowhere]", "text", "nowhere", False),
        ]
    }
    assert kinds == {
        "[lang]": "team",
        "![Help wanted][]": "badge",
        "[rust-lang/rust#1]": "linkifier",
        "[x]": "text",
        "[@alice-a]": "text",
        "[optional, maybe]": "text",
        "[nowhere]": "unresolved",
        "[text][nowhere]": "unresolved",
    }
    found = reference(slate, [ALPHA], "[text][nowhere]", "text", "nowhere", False)
    assert found.problem is not None and found.problem.code == "undefined-reference"


def _references(slate: Slate) -> References:
    order = [slate.readme.path if slate.readme else "", ALPHA, BETA]
    return References(
        slate=slate,
        site_url="https://example.org/",
        chapter_anchor={},
        document_origins=frozenset(order[:1]),
        source_order={p: n for n, p in enumerate(order)},
    )


def test_a_problem_reported_once_is_at_its_first_place_in_source_order_whatever_the_rendering_order() -> None:
    slate = _slate()
    places = [(BETA, 30), (ALPHA, 12), (BETA, 4), (ALPHA, 40)]
    for rendering in (places, places[::-1]):
        refs = _references(slate)
        found = []
        for origin, line in rendering:
            found.append(Found(origin, line, Severity.WARNING, "unknown-handle", "unknown handle '@nobody'", once="x"))
            found.append(Found(origin, line, Severity.WARNING, "relative-link", "relative link 'a.png'"))
            found.append(Found(origin, line, Severity.WARNING, "relative-link", "relative link 'a.png'"))  # twice
        problems = refs.placed(found)
        assert [str(d.location) for d in problems if d.code == "unknown-handle"] == [f"{ALPHA}:12:1"]
        assert sorted(str(d.location) for d in problems if d.code == "relative-link") == sorted(
            f"{origin}:{line}:1" for origin, line in places
        )


def test_an_anchor_is_reported_where_it_is_first_written_in_source_order() -> None:
    slate = _slate()
    readme = slate.readme.path if slate.readme else ""
    for rendering in ([(readme, 20), (readme, 8)], [(readme, 8), (readme, 20)]):
        refs = _references(slate)
        for origin, line in rendering:
            refs.rewrite("see [there](#nowhere)", origin, line)
        dangling = Found("(output)", 0, Severity.WARNING, "missing-anchor", "link '#nowhere'", once="#nowhere")
        assert [str(d.location) for d in refs.placed([dangling])] == [f"{readme}:8:1"]


def test_a_template_receives_final_text_so_a_filter_applies_to_it(tmp_path: Path) -> None:
    # people, renamed definitions and footnotes are labelled from a first pass over the RFC, before any template
    # runs (spec: two people the output names alike get their handles), so a value is final text: a filter such as
    # upper or a slice changes what the RFC shows, never a placeholder (which once broke the build)
    (tmp_path / "goals.md.j2").write_text(
        "{% for row in rows %}\n- {{ row[0] }} {{ row[1] | upper }} {{ row[1][:4] }}\n{% endfor %}\n", encoding="utf-8"
    )
    result = compile_slate(Request(src=src_of(BASE), teams=BASE / "teams.yaml", templates=tmp_path))
    assert "\x00" not in result.text
    alpha = "- [Faster incremental builds](https://goals.rust-lang.org/2099/alpha.html) [ALICE A][] [Ali"
    assert alpha in result.text.splitlines()
    assert "[ALICE A]: https://github.com/alice-a" not in result.text  # the definition keeps the label the RFC uses


def test_footnotes_sharing_a_label_keep_it_in_source_order_and_are_listed_by_first_reference(tmp_path: Path) -> None:
    # labels are decided before any template runs, so a clash is settled in source order (README, chapters, goals
    # by title: "A formal model of trait coherence" before "Stable ABI for slices"), as for definitions (spec 3.8);
    # the footnotes block follows the first references of the laid-out RFC (the lang team's table comes first)
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    for name in ("[^coherence-chapter-scope]", "[^coherence-chapter-scope]:"):
        edit(root / "src/2027/coherence-model.md", name, name.replace("coherence-chapter-scope", "slice-editions"))
    result = compile_slate(Request(src=root / "src" / "2027", teams=root / "teams.yaml", out=tmp_path / "out"))
    lines = result.text.splitlines()
    assert "Review of the coherence chapter[^slice-editions]" in result.text
    assert "Design meetings[^slice-editions--ffi-slice-abi] on the" in result.text
    feet = [line.split(":", 1)[0] for line in lines if line.startswith("[^")]
    assert feet[-2:] == ["[^slice-editions--ffi-slice-abi]", "[^slice-editions]"]
    assert "[^slice-editions]: The chapter covers the orphan rules and overlap checking only." in result.text
