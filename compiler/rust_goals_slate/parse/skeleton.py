"""The built-in README skeleton of a period without README.md (and without --readme).

`templates/rfc.md.j2` writes what a README would hold (the RFC's prose and its directives) from the slate's facts:
plurals, a section per roadmap, the flagship section only when there are flagship goals. Its text is a source like
README.md: it is parsed here, once, into the same `Readme` model, so validate checks it and render assembles it
exactly as a README of the period, and nothing downstream renders text to parse it again. Its problems name the
template (`Readme.template`; `pipeline.build.located` rewrites the path).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rust_goals_slate.model import Directive, Slate
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.readme import parse_readme

if TYPE_CHECKING:
    import jinja2

SKELETON = "rfc.md.j2"


def with_builtin_readme(slate: Slate, env: jinja2.Environment) -> Slate:
    """The slate with the skeleton `rfc.md.j2` of `env` writes as its README (`<src_dir>/README.md`, a document of
    the period like the file it stands for)."""
    path = f"{slate.src_dir}/README.md"
    text = env.get_template(SKELETON).render(slate=slate, profile=slate.profile.value, period=slate.period)
    # the template's own file (a precompiled built-in template is loaded from a module, which no user edits)
    source = env.loader.get_source(env, SKELETON)[1] if env.loader is not None else None
    doc = parse_document(path, text)
    pages: dict[str, list[Directive]] = {}
    for d in slate.page_directives:
        pages.setdefault(d.location.path, []).append(d)
    items = {g.path for g in slate.goals} | {r.path for r in slate.roadmaps} | {a.path for a in slate.areas if a.path}
    readme = replace(parse_readme(doc, pages, frozenset(items)), template=source or SKELETON)
    return replace(slate, documents={**slate.documents, path: doc}, readme=readme)
