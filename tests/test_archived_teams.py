"""Archived teams: found in rust-lang/team's `teams/archive/` (or marked in a teams.yaml), known, and reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.sources.teams import load_teams
from tests.check_cases import BASE


def _checkout(root: Path) -> Path:
    """A small rust-lang/team checkout: live teams, and an archive with the shapes the real one has."""
    teams, archive, people = root / "teams", root / "teams" / "archive", root / "people"
    for folder in (teams, archive, people):
        folder.mkdir(parents=True)
    for key in ("cargo", "compiler", "lang", "types", "libs"):
        (teams / f"{key}.toml").write_text(
            f'name = "{key}"\n\n[people]\nleads = ["alice-a"]\nmembers = ["alice-a", "bob-b"]\n', encoding="utf-8"
        )
    (archive / "libs-api.toml").write_text(
        '# merged into libs\nname = "libs-api"\nsubteam-of = "libs"\n\n[people]\nleads = []\nmembers = []\n'
        'alumni = ["carol-c"]\n\n[website]\nname = "Library API team"\n',
        encoding="utf-8",
    )
    (archive / "wg-old.toml").write_text('name = "wg-old"\nsubteam-of = "wg-gone"\n', encoding="utf-8")
    (archive / "cargo-extra.toml").write_text('name = "cargo-extra"\n', encoding="utf-8")
    (archive / "types.toml").write_text('name = "types"\n', encoding="utf-8")  # archived once, live again
    for login in ("alice-a", "bob-b", "carol-c", "BoxyUwU"):
        (people / f"{login}.toml").write_text(f'name = "{login}"\ngithub = "{login}"\n', encoding="utf-8")
    return root


def test_archived_teams_are_known_and_marked(tmp_path: Path) -> None:
    registry = load_teams(_checkout(tmp_path / "team"))
    libs_api = registry.team("libs-api")
    assert libs_api is not None and libs_api.archived and libs_api.name == "Library API team"
    assert (libs_api.successor, libs_api.archive) == ("libs", "teams/archive/libs-api.toml")
    assert libs_api.leads == libs_api.members == ()  # alumni are nobody to ask
    cargo_extra, wg_old = registry.team("cargo-extra"), registry.team("wg-old")
    assert cargo_extra is not None and cargo_extra.successor == "cargo"  # by its key's prefix
    assert wg_old is not None and wg_old.archived and wg_old.successor is None  # its parent is gone too
    types = registry.team("types")
    assert types is not None and not types.archived and types.leads == ("alice-a",)
    libs = registry.team("libs")
    assert libs is not None and not libs.archived


def _slate_asking_libs_api(tmp_path: Path) -> Path:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    alpha = root / "src" / "2099" / "alpha.md"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace(
        "| [compiler] | Small         | Code reviews                   |",
        "| [compiler] | Small         | Code reviews                   |\n| [libs-api] | Small | API review |\n"
        "| [libs-api] | Small | Stabilization |",
    )
    alpha.write_text(text, encoding="utf-8")
    _checkout(root / "team")
    return root


def test_an_archived_team_is_rendered_and_reported_once(tmp_path: Path) -> None:
    root = _slate_asking_libs_api(tmp_path)
    result = compile_slate(Request(src=root / "src" / "2099", teams=root / "team"))
    found = [d for d in result.diagnostics if "libs-api" in d.message]
    assert [(d.code, d.location.path, d.location.line) for d in found] == [("archived-team", "src/2099/alpha.md", 33)]
    assert found[0].message == "team 'libs-api' is archived; its work moved to 'libs'; named by 1 goal file: alpha.md"
    assert found[0].hint == "ask [libs] instead (slate fcp lists these asks under libs)"
    assert not result.has_errors
    section = result.text.split("\n#### libs-api team\n", 1)[1].split("\n#### ", 1)[0]
    assert [line.split(" | ")[-1] for line in section.splitlines() if "alpha.html" in line] == [
        "API review |",
        "Stabilization |",
    ]


def test_an_archived_team_named_by_many_goals_is_one_line(tmp_path: Path) -> None:
    root = _slate_asking_libs_api(tmp_path)
    alpha = root / "src" / "2099" / "alpha.md"
    text = alpha.read_text(encoding="utf-8")
    for name in ("delta", "echo", "foxtrot", "golf"):
        (root / "src" / "2099" / f"{name}.md").write_text(text.replace("Alpha", name.title()), encoding="utf-8")
    result = compile_slate(Request(src=root / "src" / "2099", teams=root / "team"))
    found = [d for d in result.diagnostics if d.code == "archived-team"]
    assert [(d.location.path, d.message) for d in found] == [
        (
            "src/2099/alpha.md",
            "team 'libs-api' is archived; its work moved to 'libs'; named by 5 goal files: alpha.md, delta.md, "
            "echo.md and 2 more",
        )
    ]
    assert str(tmp_path) not in found[0].format()  # no absolute path of the team data


def test_fcp_lists_an_archived_teams_asks_under_its_successor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _slate_asking_libs_api(tmp_path)
    assert main(["fcp", str(root / "src" / "2099"), "--teams", str(root / "team")]) == 0
    out, err = capsys.readouterr()
    assert "slate fcp: team 'libs-api' is archived; its 2 ask(s) are listed under 'libs'" in err
    assert "### libs-api team" not in out
    section = out.split("### libs team", 1)[1].split("\n### ", 1)[0]
    assert "Asked of the archived libs-api team, whose work moved to libs, and so listed here:" in section
    assert section.count(", asked of libs-api\n") == 2
    assert "* [ ] @" in section  # the successor's leads check the box


def test_an_archived_team_without_a_live_successor_keeps_its_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _slate_asking_libs_api(tmp_path)
    alpha = root / "src" / "2099" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("[libs-api]", "[wg-old]"), encoding="utf-8")
    assert main(["fcp", str(root / "src" / "2099"), "--teams", str(root / "team"), "-q"]) == 0
    section = capsys.readouterr().out.split("### wg-old team", 1)[1].split("\n### ", 1)[0]
    assert "*This team is archived" in section and "nobody is listed for it" in section


def test_team_report_of_an_archived_team_says_where_its_work_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _slate_asking_libs_api(tmp_path)
    assert main(["team", "libs-api", str(root / "src" / "2099"), "--teams", str(root / "team")]) == 0
    out, err = capsys.readouterr()
    assert "slate team: team 'libs-api' is archived; its work moved to 'libs'" in err
    assert "*The libs-api team is archived in the team data; its work moved to the libs team" in out


def test_teams_export_keeps_archived_teams_marked(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path / "team")
    out = tmp_path / "teams.yaml"
    assert main(["teams", "export", str(checkout), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "- key: libs-api\n" in text
    assert "  archived: true\n  successor: libs\n  archive: teams/archive/libs-api.toml\n" in text
    assert load_teams(out).teams == load_teams(checkout).teams
