"""Every input error is a diagnostic, never a traceback: wrong types, deep nesting, aliases and oversized files in
the team data and the configuration are reported with the file, the key and the line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.hostile.slates import PERIOD, check, example, run

DEEP = 5000


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def unreadable(capsys: pytest.CaptureFixture[str], root: Path) -> str:
    code, diagnostics = check(capsys, root)
    assert code == 1
    assert [d["code"] for d in diagnostics] == ["unreadable-input"]
    message: str = diagnostics[0]["message"]
    return message


# ------------------------------------------------------------------------------------------------ teams.yaml


def test_teams_yaml_teams_must_be_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    teams = root / "teams.yaml"
    text = teams.read_text()
    teams.write_text(text[: text.index("teams:")] + "teams: 5\n" + text[text.index("people:") :])
    assert unreadable(capsys, root).endswith("teams.yaml:3: 'teams' must be a list of entries, not an integer (5)")


def test_teams_yaml_leads_must_be_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    replace_in(root / "teams.yaml", "leads: [lindqvist]", "leads: 5")
    line = line_of(root / "teams.yaml", "leads: 5")
    message = unreadable(capsys, root)
    assert message.endswith(f"teams.yaml:{line}: 'teams[1].leads' must be a list of strings, not an integer (5)")


def test_teams_yaml_invisible_characters_in_a_login(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    replace_in(root / "teams.yaml", "leads: [lindqvist]", 'leads: ["lind\\u202eqvist"]')
    message = unreadable(capsys, root)
    assert "'teams[1].leads' must be a list of strings without control or invisible characters" in message
    assert "\u202e" not in message


def test_teams_yaml_url_must_be_a_link_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    replace_in(root / "teams.yaml", "url: https://github.com/rust-lang/cargo", 'url: "https://x.invalid/ [x] y"')
    assert "'teams[1].url' must be an http(s) URL without blanks, brackets or quotes" in unreadable(capsys, root)


def test_teams_yaml_nested_lists_are_not_stringified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    replace_in(root / "teams.yaml", "leads: [lindqvist]", "leads: [[lindqvist]]")
    assert "'teams[1].leads' must be a list of strings, not a list" in unreadable(capsys, root)


def test_teams_yaml_alias_bomb_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 10):
        bomb.append(f"{'abcdefghij'[n]}: &{'abcdefghij'[n]} [" + ",".join([f"*{'abcdefghij'[n - 1]}"] * 9) + "]")
    replace_in(root / "teams.yaml", "teams:\n", "\n".join(bomb) + "\nteams:\n")
    replace_in(root / "teams.yaml", "leads: [lindqvist]", "leads: *j")
    started = time.perf_counter()
    message = unreadable(capsys, root)
    assert time.perf_counter() - started < 10
    assert "teams.yaml:4: cannot read team registry: YAML aliases (*name) are not allowed in team data" in message


def test_teams_yaml_deep_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    replace_in(root / "teams.yaml", "leads: [lindqvist]", "leads: " + "[" * DEEP + "]" * DEEP)
    assert "nested deeper than 32 levels" in unreadable(capsys, root)


def test_teams_yaml_size_cap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    with (root / "teams.yaml").open("a") as fh:
        fh.write("#" + "x" * (9 * 1024 * 1024) + "\n")
    assert "team registry is 94" in unreadable(capsys, root) and "the limit is 8388608" in unreadable(capsys, root)


# ------------------------------------------------------------------------------------------------ team checkout


def checkout(root: Path, lang: str, alice: str = 'name = "Alice"\ngithub = "alice"\n') -> Path:
    (root / "teams").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "teams" / "lang.toml").write_text(lang)
    (root / "people" / "alice.toml").write_text(alice)
    return root


@pytest.mark.parametrize(
    ("lang", "alice", "said"),
    [
        ('name = "lang"\npeople = "nobody"\n', None, "lang.toml:2: 'people' must be a table, not a string ('nobody')"),
        ('name = "lang"\n[people]\nleads = 5\n', None, "lang.toml:3: 'people.leads' must be a list of strings"),
        ('name = "lang"\n[people]\nmembers = [5]\n', None, "lang.toml:3: 'people.members' must be a list of logins"),
        ('name = ["lang"]\n', None, "lang.toml:1: 'name' must be a string, not a list"),
        ('name = "lang"\n', "github = { x = 1 }\n", "alice.toml:1: 'github' must be a string, not a table"),
        ('name = "lang"\nx = ' + "[" * DEEP + "]" * DEEP + "\n", None, "nested too deeply"),
        ('name = "lang"\n#' + "x" * (9 * 1024 * 1024) + "\n", None, "the limit is 8388608"),
    ],
)
def test_team_files_of_the_wrong_shape(
    lang: str, alice: str | None, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = checkout(tmp_path / "team", lang, *([alice] if alice else []))
    code, out, err = run(capsys, "teams", "export", team, "-o", "-")
    assert (code, out) == (1, "")
    assert said in err and "Traceback" not in err


# ------------------------------------------------------------------------------------------------ configuration


GOALS = "'preprocessor.goals."
CONFIGURATION = [
    ("book.toml", 'ignore_users = [\n    "@triagebot",\n]', "ignore_users = 5", GOALS + "ignore_users' must be a list"),
    ("book.toml", "[preprocessor.goals.links]", "[preprocessor.goals.links]\nx = 5", GOALS + "links.x' must be a"),
    ("book.toml", "[preprocessor.goals.users]", "[preprocessor.goals.users]\nx = [1]", GOALS + "users.x' must be"),
    ("book.toml", "[preprocessor.goals]", "[preprocessor.goals]\nx = " + "[" * DEEP + "]" * DEEP, "nested too deeply"),
    ("rust-project-goals.toml", "[team_asks]", 'team_asks = "nope"\n[x]', "[team_asks] must be a table of ask kinds"),
]


@pytest.mark.parametrize(("file", "old", "new", "said"), CONFIGURATION)
def test_configuration_of_the_wrong_shape(
    file: str, old: str, new: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    replace_in(root / file, old, new)
    code, diagnostics = check(capsys, root)
    assert code == 1
    found = [d for d in diagnostics if d["path"] == file and d["severity"] == "error"]
    assert len(found) == 1 and said in found[0]["message"], diagnostics
    if "nested" not in said:
        needle = new.splitlines()[0 if "team_asks =" in new else -1]
        assert found[0]["line"] == line_of(root / file, needle)


@pytest.mark.parametrize(
    ("pattern", "template", "said"),
    [
        ("X#([0-9]+)", "https://x.invalid/$7", "names $7, but its pattern has 1 group"),
        ("(a|a)+b", "https://x.invalid/", "repeats a group that itself repeats or alternates"),
        ("(a+)+b", "https://x.invalid/", "repeats a group that itself repeats or alternates"),
        (r"(a)\\1", "https://x.invalid/", "backreference"),
        ("a*a*a*a*b", "https://x.invalid/", "holds 4 repeats"),
    ],
)
def test_linkifiers_are_checked_when_loaded(
    pattern: str, template: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    entry = f'"{pattern}" = "{template}"'
    replace_in(root / "book.toml", "[preprocessor.goals.linkifiers]", f"[preprocessor.goals.linkifiers]\n{entry}")
    goal = root / PERIOD / "ffi-slice-abi.md"
    goal.write_text(goal.read_text() + f"\nSee [{'a' * 34}] and [#12].\n")
    started = time.perf_counter()
    _, diagnostics = check(capsys, root)
    assert time.perf_counter() - started < 20
    found = [d for d in diagnostics if d["code"] == "bad-linkifier"]
    assert len(found) == 1 and said in found[0]["message"]
    assert found[0]["line"] == line_of(root / "book.toml", entry)


def test_slate_toml_deep_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example(tmp_path)
    (root / "slate.toml").write_text("x = " + "[" * 30_000 + "]" * 30_000 + "\n")
    code, diagnostics = check(capsys, root)
    assert code == 1
    assert [(d["path"], d["code"]) for d in diagnostics if d["severity"] == "error"] == [
        ("slate.toml", "config-syntax")
    ]


def test_goal_owners_toml_deep_or_linked_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """teams/goal-owners.toml is read as team data first, so the team loader's checks cover it."""
    root = example(tmp_path)
    team = checkout(tmp_path / "team", 'name = "lang"\n')
    owners = team / "teams" / "goal-owners.toml"
    owners.write_text("x = " + "[" * DEEP + "]" * DEEP + "\n")
    code, _, err = run(capsys, "teams", "goal-owners", root / PERIOD, "--teams", team, "-o", tmp_path / "o.toml")
    assert code == 1 and "goal-owners.toml: cannot read team data: arrays or tables nested too deeply" in err
    owners.unlink()
    owners.symlink_to(tmp_path / "o.toml")
    code, _, err = run(capsys, "teams", "goal-owners", root / PERIOD, "--teams", team, "-o", tmp_path / "p.toml")
    assert code == 1 and "goal-owners.toml: symbolic link points outside the team checkout" in err


@pytest.mark.parametrize("site", ["https://goals.invalid/\\n## Forged heading", "https://goals.invalid/a b", "x) [y]"])
def test_a_site_url_that_would_break_the_rfc_links_is_refused(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    with (root / "book.toml").open("a") as fh:
        fh.write(f'\n[output.html]\ncname = "goals.invalid"\nsite-url = "{site}"\n')
    code, _, err = run(capsys, "build", root / PERIOD, "--teams", root / "teams.yaml", "--out", tmp_path / "out")
    assert code == 1 and "[config-shape]" in err and "book.toml" in err
    assert not (tmp_path / "out" / "rfc.md").exists()


@pytest.mark.parametrize(
    ("section", "entry"),
    [
        ("links", '"Forged" = "https://x.invalid/\\n## Forged heading"'),
        ("links", '"Spaced" = "https://x.invalid/a b"'),
        ("linkifiers", '"Z#([0-9]+)" = "https://x.invalid/$1) [y](z"'),
        ("users", '"@alice" = "Alice\\u202e"'),
    ],
)
def test_book_toml_strings_that_would_break_the_rfc_are_refused(
    section: str, entry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example(tmp_path)
    replace_in(root / "book.toml", f"[preprocessor.goals.{section}]", f"[preprocessor.goals.{section}]\n{entry}")
    code, diagnostics = check(capsys, root)
    assert code == 1
    found = [d for d in diagnostics if d["code"] == "config-shape"]
    assert len(found) == 1 and found[0]["line"] == line_of(root / "book.toml", entry)
