"""What `slate watch`'s render keeps between rebuilds (render/pieces.py, render/rfc.py), beyond the byte-for-byte
comparisons of tests/test_watch_incremental.py: which work a rebuild does again, and the properties that let it skip
the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rust_goals_slate.model import Options
from rust_goals_slate.pipeline.build import Request, compile_slate
from rust_goals_slate.pipeline.watch import Watcher
from rust_goals_slate.render.references import Memo
from rust_goals_slate.render.rfc import _assemble, template_env
from rust_goals_slate.render.settle import labels
from tests.support import PUBLISHED, PUBLISHED_SITE, ROOT, corpus

EXAMPLE = ROOT / "goals"
SRC = "src/2027"
GOAL = "coherence-model.md"


def _request(src: Path, teams: Path, out: Path, options: Options | None = None) -> Request:
    return Request(src=src, teams=teams, out=out, options=options or Options())


def _example(tmp_path: Path) -> Request:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLE, root)
    return _request(root / SRC, root / "teams.yaml", tmp_path / "out")


def _published(tmp_path: Path, period: str) -> Request:
    source = corpus(period)
    number, start = PUBLISHED[period]
    options = Options(site_url=PUBLISHED_SITE, rfc_number=number, start_date=start)
    return _request(source / "src" / period, source / "team", tmp_path / "out", options)


@pytest.mark.parametrize("period", ["example", *(pytest.param(p, marks=pytest.mark.slow) for p in PUBLISHED)])
def test_what_a_pass_uses_does_not_depend_on_the_labels_it_writes_with(tmp_path: Path, period: str) -> None:
    """The watch's one pass (render_rfc) writes with the last rebuild's labels and keeps its text when the labels of
    what it used are the same: sound only if a pass written with labels uses what the first pass (no labels, no
    template rendered) uses, so that both give the same labels and the same renamed definitions."""
    request = _example(tmp_path) if period == "example" else _published(tmp_path, period)
    slate, env = compile_slate(request).slate, template_env()
    first, _ = _assemble(slate, env, None, Memo(), None)
    found, renamed = labels(first)
    assert found.people and (found.definitions or found.footnotes)  # the check below compares something
    second, _ = _assemble(slate, env, found, Memo(), None)
    assert labels(second) == (found, renamed)
    assert list(second.uses.people) == list(first.uses.people)
    assert list(second.uses.footnotes) == list(first.uses.footnotes)


def test_a_title_edit_makes_one_pass(tmp_path: Path) -> None:
    """The labels of the last rebuild still hold after a title edit: the rebuild writes the RFC in one pass (no
    piece of the first pass is asked for), and gives what a fresh build gives."""
    request = _example(tmp_path)
    watcher = Watcher(request)
    watcher.rebuild()
    goal = request.src / GOAL
    goal.write_text(goal.read_text(encoding="utf-8").replace("\n", " (edited)\n", 1), encoding="utf-8")
    rebuild = watcher.rebuild([goal])
    computed = watcher.pieces.computed
    assert computed and all(rule.endswith("(pass 2)") for rule, _ in computed)
    assert rebuild.text == compile_slate(request).text
