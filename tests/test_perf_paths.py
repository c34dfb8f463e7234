"""The fast paths of issue 7 give exactly what the slow ones give: fasttoml vs tomllib, and the per-user cache of
compiled templates never changes a result."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rust_goals_slate.errors import InputError
from rust_goals_slate.render.rfc import template_env
from rust_goals_slate.render.template_cache import bytecode_cache, fingerprint
from rust_goals_slate.sources import cache, fasttoml
from rust_goals_slate.sources.teams import load_teams

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus")


def _tomllib(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


# ------------------------------------------------------------------------------------------------------------------
# fasttoml


@pytest.mark.parametrize(
    "text",
    [
        "",
        'name = "compiler"\ntop-level = true\n\n[people]\nleads = ["a", "b"]\n'
        'members = [\n  "c", # d\n  { github = "e", roles = ["f"] },\n]\n',
        '[[github]]\norgs = ["rust-lang"]\n[[github]]\norgs = []\n',
        '"Help wanted" = "https://x"\n"a.b" = 1\n\'lit\' = -2\n[a . "b c"]\nd.e = +0\nd.f = false\n',
        'name = "Charles \\"Chas\\" O\'Riley"\nback = "a\\\\b"\n',
        "[a.b]\n[a]\nc = 1\n",
        "[[a]]\n[a.b]\n[[a]]\n[a.b]\n",
        'k = { a = [\n1,\n2], b = "x" }\n',
    ],
)
def test_fasttoml_reads_plain_toml_as_tomllib_does(text: str) -> None:
    assert fasttoml.loads(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1.5\n",  # float
        "a = 1979-05-27\n",  # date
        'a = """x"""\n',  # multi-line string
        'a = "tab\\tchar"\n',  # an escape other than \" and \\
        "a = 1\r\n",  # CR line ending
        "a.b = 1\n[a.c]\n",  # a header extending a table made by dotted keys
        "a = 1\na = 2\n",  # invalid: left to tomllib, which reports it
        "[a]\n[a]\n",
        "a = 01\n",
        "a = {b = 1,}\n",
    ],
)
def test_fasttoml_leaves_everything_else_to_tomllib(text: str) -> None:
    assert fasttoml.loads(text) is None


_FRAGMENTS = st.sampled_from(
    [
        "a", "b", "x-y", "1", " ", "\t", "\n", "=", ".", "[", "]", "[[", "]]", "{", "}", ",", "#", "# c\n",
        '"s"', '""', "'l'", '"a\\"b"', '"\\\\"', '"\\n"', "true", "false", "0", "01", "-1", "1.5", "1_0",
        "a = 1\n", "a.b = 1\n", "[a]\n", "[a.b]\n", "[[a]]\n", '"a" = 1\n', "b = [\n", '"x",\n', "c = {x = 1}\n",
        "f = [1,]\n", "g = [,]\n", "j = {a=1,}\n", "\r\n", "\x01",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_FRAGMENTS, max_size=12).map("".join))
def test_fasttoml_accepts_only_valid_toml_and_agrees_with_tomllib(text: str) -> None:
    fast = fasttoml.loads(text)
    if fast is not None:
        assert fast == _tomllib(text)


@corpus
def test_fasttoml_on_every_toml_file_of_the_corpora() -> None:
    files = sorted(CORPUS.glob("*/team/*/*.toml")) + sorted(CORPUS.glob("*/*.toml"))
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8-sig")
        assert fasttoml.loads(text) == tomllib.loads(text), file


# ------------------------------------------------------------------------------------------------------------------
# the cache folder


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SLATE_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_cache_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLATE_NO_CACHE", "1")
    assert cache.cache_folder("t") is None and bytecode_cache() is None
    assert not cache_home.exists()


def test_cache_refuses_a_folder_others_can_write(cache_home: Path) -> None:
    folder = cache.cache_folder("t")
    assert folder is not None
    folder.chmod(0o777)
    assert cache.cache_folder("t") is None


# ------------------------------------------------------------------------------------------------------------------
# compiled templates


def test_template_cache_follows_the_source_and_the_settings(cache_home: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "goals.md.j2").write_text("A {{ 1 + 1 }}\n")
    assert template_env(templates).get_template("goals.md.j2").render() == "A 2\n"
    assert template_env(templates).get_template("goals.md.j2").render() == "A 2\n"  # from the cache
    (templates / "goals.md.j2").write_text("B {{ 2 + 2 }}\n")
    assert template_env(templates).get_template("goals.md.j2").render() == "B 4\n"
    (templates / "t.j2").write_text("{% if true %}\nx\n{% endif %}\n")
    env = template_env(templates)
    other = jinja2.Environment(loader=env.loader, bytecode_cache=env.bytecode_cache, trim_blocks=False)
    assert fingerprint(env) != fingerprint(other)
    assert env.get_template("t.j2").render() == "x\n"
    assert other.get_template("t.j2").render() == "\nx\n"


# ------------------------------------------------------------------------------------------------------------------
# parsed team data


@corpus
def test_team_data_follows_every_change(tmp_path: Path) -> None:
    checkout = tmp_path / "team"
    shutil.copytree(CORPUS / "2026" / "team", checkout)
    person = checkout / "people" / "nikomatsakis.toml"
    person.write_text(person.read_text().replace("Niko Matsakis", "Niko M."))
    changed = load_teams(checkout).person("nikomatsakis")
    assert changed is not None and changed.name == "Niko M."
    (checkout / "people" / "bad.toml").write_bytes(b"name = \xff\n")
    with pytest.raises(InputError, match=r"bad\.toml: cannot read team data"):
        load_teams(checkout)
