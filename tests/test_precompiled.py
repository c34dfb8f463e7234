"""The precompiled built-in templates (render/precompiled.py): the same output as compiling the templates, and
used only when they were compiled from the template's present text, by this Jinja, with the same settings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
import pytest

from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.render.precompiled import COMPILED, BuiltinLoader, compile_builtin, environment
from rust_goals_slate.render.rfc import TEMPLATES
from rust_goals_slate.review.pr_body import render_pr_body

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Request(src=ROOT / "goals" / "src" / "2027", teams=ROOT / "goals" / "teams.yaml")


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in templates, compiled as setup.py compiles them for the wheel."""
    folder = tmp_path_factory.mktemp("templates") / "templates"
    shutil.copytree(TEMPLATES, folder, ignore=shutil.ignore_patterns(COMPILED))
    compile_builtin(str(folder), str(folder / COMPILED))
    return folder


def _env(folder: Path, **settings: bool) -> jinja2.Environment:
    env = environment(BuiltinLoader(str(folder), jinja2.FileSystemLoader(str(folder))))
    for key, value in settings.items():
        setattr(env, key, value)
    return env


def _outputs(env: jinja2.Environment) -> tuple[str, str]:
    result = compile_slate(EXAMPLE, env=env)
    return result.text, render_pr_body(result.slate, env).text


def test_precompiled_templates_give_the_same_output(templates: Path) -> None:
    env = _env(templates)
    assert _outputs(env) == _outputs(environment(jinja2.FileSystemLoader(str(templates))))
    used = {name: env.get_template(name).filename for name in ("rfc.md.j2", "pr_body.md.j2", "_table.md.j2")}
    assert all(str(f).startswith(str(templates / COMPILED)) and str(f).endswith(".py") for f in used.values()), used


def test_an_edited_template_is_read_from_its_file(templates: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(templates, folder)
    header = folder / "header.md.j2"
    header.write_text(header.read_text(encoding="utf-8") + "Edited after compiling.\n", encoding="utf-8")
    env = _env(folder)
    assert env.get_template("header.md.j2").filename == str(header)
    assert env.get_template("rfc.md.j2").filename.endswith(".py")  # type: ignore[union-attr]
    assert (
        env.get_template("header.md.j2")
        .render(feature_name="f", start_date="s", rfc_pr="p", rust_issue="i")
        .endswith("Edited after compiling.\n")
    )


def test_another_jinja_or_other_settings_read_the_files(templates: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(templates, folder)
    assert _env(folder, trim_blocks=False).get_template("rfc.md.j2").filename == str(folder / "rfc.md.j2")
    manifest = folder / COMPILED / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "jinja2": "0.0"}), encoding="utf-8")
    assert _env(folder).get_template("rfc.md.j2").filename == str(folder / "rfc.md.j2")
    manifest.write_text("{not json", encoding="utf-8")
    assert _env(folder).get_template("rfc.md.j2").filename == str(folder / "rfc.md.j2")
    shutil.rmtree(folder / COMPILED)  # a checkout never installed
    assert _env(folder).get_template("rfc.md.j2").filename == str(folder / "rfc.md.j2")


def test_user_templates_still_come_first(templates: Path, tmp_path: Path) -> None:
    (tmp_path / "header.md.j2").write_text("Overridden header.\n", encoding="utf-8")
    env = environment(jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(tmp_path)), _env(templates).loader]))  # type: ignore[list-item]
    assert env.get_template("header.md.j2").render() == "Overridden header.\n"
    assert env.get_template("rfc.md.j2").filename.endswith(".py")  # type: ignore[union-attr]
