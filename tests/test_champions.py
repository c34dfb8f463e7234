"""`slate champions [SRC] --format csv|md`: one row per goal with a champion, one column per team with a champion.

The expected rows are counted from the goal files with a regex over their metadata rows, not from the output.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from rust_goals_slate.cli.main import main
from rust_goals_slate.pipeline.build import Request, read_slate
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.review.champions_table import champions_csv, champions_markdown
from tests.check_cases import BASE
from tests.support import check_links, corpus

_CHAMPION_ROW = re.compile(r"^\| *\[([a-z0-9-]+)\] champion *\| *@([A-Za-z0-9-]+)", re.M)


class CsvSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "csv"


@pytest.fixture
def csv_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(CsvSnapshot)


def _sources_2026() -> dict[str, dict[str, str]]:
    """goal file name -> {team: champion login as written}, for slate goals naming a champion."""
    found = {}
    for path in sorted((corpus("2026") / "src" / "2026").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("roadmap-") or re.search(r"^\| *Status *\| *Not accepted", text, re.M | re.I):
            continue
        champions = dict(_CHAMPION_ROW.findall(text))
        if champions:
            found[path.name] = champions
    return found


def _csv_2026(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["champions", str(corpus("2026")), "--format", "csv"]) == 0
    return capsys.readouterr().out


def test_csv_snapshot(capsys: pytest.CaptureFixture[str], csv_snapshot: SnapshotAssertion) -> None:
    assert _csv_2026(capsys) == csv_snapshot


def test_csv_has_one_row_per_goal_with_a_champion(capsys: pytest.CaptureFixture[str]) -> None:
    expected = _sources_2026()
    assert len(expected) == 54
    rows = list(csv.reader(io.StringIO(_csv_2026(capsys))))
    header, data = rows[0], rows[1:]
    teams = sorted({t for c in expected.values() for t in c})
    assert header == ["Title", "POC(s)", *teams, "URL"]
    assert all(len(r) == len(header) for r in data)
    by_file = {r[-1].rsplit("/", 1)[-1]: dict(zip(header, r, strict=True)) for r in data}
    assert set(by_file) == set(expected) and len(data) == len(expected)
    for name, champions in expected.items():
        row = by_file[name]
        for team in teams:
            if team in champions:
                assert row[team].casefold() == "@" + champions[team].casefold(), (name, team)
            else:
                assert row[team] in ("!", "-"), (name, team)
    # one person, one spelling: typesystem-docs.md writes @boxyuwu, the team data says BoxyUwU
    assert by_file["typesystem-docs.md"]["types"] == "@BoxyUwU"
    assert by_file["const-generics.md"]["lang"] == "@nikomatsakis"
    assert by_file["const-generics.md"]["URL"] == (
        "https://github.com/rust-lang/rust-project-goals/blob/main/src/2026/const-generics.md"
    )


def test_markdown_has_the_same_rows_and_no_link_defects() -> None:
    root = corpus("2026")
    slate = read_slate(Request(src=root / "src" / "2026", teams=root / "team"))[0]
    text = champions_markdown(slate, template_env())
    assert not check_links(text).defects()
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == len(_sources_2026())


def test_csv_quotes_commas_and_quotes_in_titles(tmp_path: Path) -> None:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    beta = root / "src" / "2099" / "beta.md"
    text = beta.read_text(encoding="utf-8")
    text = text.replace("# Stable build script API", '# A "stable" build script API, at last', 1)
    text = text.replace(
        "| Needs            | Funding                          |",
        "| Needs            | Funding                          |\n| [cargo] champion | @alice-a |",
    )
    beta.write_text(text, encoding="utf-8")
    slate = read_slate(Request(src=root / "src" / "2099", teams=root / "teams.yaml"))[0]
    rows = list(csv.reader(io.StringIO(champions_csv(slate))))
    titles = [r[0] for r in rows[1:]]
    assert 'A "stable" build script API, at last' in titles
