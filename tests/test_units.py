"""Unit tests of the parsing and rewriting pieces, on small inputs written for each rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.model import Person, TeamRegistry
from rust_goals_slate.parse.inline import github_slug, handles_in, mdbook_id, plain_text, scan
from rust_goals_slate.parse.markdown import parse_document, sections
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.sources.teams import export_yaml, load_teams
from tests.support import ROOT, corpus

EXAMPLE = ROOT / "goals"


def test_table_pads_short_rows_and_counts_extra_cells() -> None:
    doc = parse_document("x.md", "| A | B | C |\n|---|---|---|\n| (((ROADMAP ROWS: X))) |\n| 1 | 2 | 3 | 4 |\n")
    table = doc.blocks[0].table
    assert table is not None
    assert table.rows[0].cells == ("(((ROADMAP ROWS: X)))", "", "")
    assert table.rows[1].cells == ("1", "2", "3")
    assert table.rows[1].extra_cells == 1
    assert [r.line for r in table.rows] == [3, 4]


def test_escaped_pipe_is_not_a_separator() -> None:
    doc = parse_document("x.md", "| A | B |\n|---|---|\n| `a \\| b` | c |\n")
    table = doc.blocks[0].table
    assert table is not None
    assert table.rows[0].cells == ("`a | b`", "c")


def test_headings_in_code_are_code() -> None:
    text = "# Title\n\n```rust\n#[derive(CoercePointee)]\n#!/usr/bin/env cargo\n```\n\n## Next\n"
    doc = parse_document("x.md", text)
    assert [(s.level, s.title) for s in sections(doc)] == [(1, "Title"), (2, "Next")]


def test_definitions_keep_positions_and_leave_the_blocks() -> None:
    doc = parse_document("x.md", "Para [a].\n\n[a]: https://a.example\n[^n]: a note\n\nAfter.\n")
    assert [(d.label, d.url, d.line) for d in doc.link_defs] == [("a", "https://a.example", 3)]
    assert [(d.label, d.text, d.line) for d in doc.footnote_defs] == [("n", "a note", 4)]
    assert [b.kind for b in doc.blocks if b.kind != "blank"] == ["paragraph", "paragraph"]


def test_scanner_spans() -> None:
    text = "`@code` [x](./a.md) [lang][] ![Help wanted][] [^n] <https://h/@x> @who"
    kinds = [(s.kind, text[s.start : s.end]) for s in scan(text) if s.kind != "text"]
    assert kinds == [
        ("code", "`@code`"),
        ("link", "[x](./a.md)"),
        ("ref", "[lang][]"),
        ("ref", "![Help wanted][]"),
        ("footnote", "[^n]"),
        ("autolink", "<https://h/@x>"),
    ]


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@tiif's goal", ["tiif"]),
        ("mail goals-team@rust-lang.org", []),
        ("see https://hackmd.io/@rust-lang-team/x", []),
        ("`@NonNull` in code", []),
        ("@walterhpearce,@simulacrum", ["walterhpearce", "simulacrum"]),
        ("ping @rust-lang/lang", []),
        ("[@x](https://github.com/x) link text", []),
    ],
)
def test_handles_are_whole_tokens_in_text(text: str, handles: list[str]) -> None:
    assert handles_in(text) == handles


def test_heading_ids() -> None:
    assert mdbook_id("`Deref`/`Receiver` split chain experiment") == "derefreceiver-split-chain-experiment"
    assert mdbook_id("`derive(CoercePointee)`") == "derivecoercepointee"
    assert github_slug('What do the column names like "Ded. r?" mean?') == "what-do-the-column-names-like-ded-r-mean"
    assert plain_text("Going *beyond* the `&` [here](x)") == "Going beyond the & here"
    assert (
        plain_text("Declarative macro_rules _improvements_ in __bold__")
        == "Declarative macro_rules improvements in bold"
    )
    assert mdbook_id("Stabilize assumptions_on_binders") == "stabilize-assumptions_on_binders"


def test_team_export_round_trip(tmp_path: Path) -> None:
    checkout = corpus("2026") / "team"
    registry = load_teams(checkout)
    out = tmp_path / "teams.yaml"
    assert main(["teams", "export", str(checkout), "-o", str(out)]) == 0
    again = load_teams(out)
    assert again.teams == registry.teams
    assert again.people == registry.people
    assert registry.team("libs-api") is not None
    types, tc = registry.team("types"), registry.person("TRAVISCROSS")
    assert types is not None and types.url == "https://github.com/rust-lang/types-team"
    assert tc is not None and tc.name == "TC" and tc.login == "traviscross"
    assert export_yaml(again) == out.read_text(encoding="utf-8")


def test_templates_override_by_file_name(tmp_path: Path) -> None:
    (tmp_path / "champions.md.j2").write_text("CHAMPIONS: {{ champions | length }}\n", encoding="utf-8")
    request = Request(src=EXAMPLE / "src" / "2027", teams=EXAMPLE / "teams.yaml", templates=tmp_path)
    text = compile_slate(request).text
    assert "CHAMPIONS: 9" in text
    assert "| Champion | # | Goal |" not in text


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 2
    assert main(["build", str(EXAMPLE / "src" / "2027"), "--format", "docx"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cli_missing_folder_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(ROOT / "no-such-folder")]) == 2  # a usage error, as for check and diff (issue 23)
    assert "no-such-folder does not exist" in capsys.readouterr().err


def test_the_model_is_immutable_all_the_way_down() -> None:
    people = {"ana": Person("Ana", "Ana A.")}
    registry = TeamRegistry({}, people)
    people["bob"] = Person("bob", "Bob")  # the registry keeps its own copy
    assert list(registry.people) == ["ana"]
    with pytest.raises(TypeError):
        registry.people["bob"] = Person("bob", "Bob")  # type: ignore[index]
    slate = compile_slate(Request(src=ROOT / "goals" / "src" / "2027", teams=ROOT / "goals" / "teams.yaml")).slate
    with pytest.raises(TypeError):
        del slate.documents[next(iter(slate.documents))]  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        slate.config.users["@x"] = "X"  # type: ignore[index]
