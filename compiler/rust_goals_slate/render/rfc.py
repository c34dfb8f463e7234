"""Stage 4: render the slate into the RFC text (a pure function of the model and the templates)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import jinja2

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.model import AskFormat, HeaderField, Profile, Slate
from rust_goals_slate.parse.readme import linkifier_rfc
from rust_goals_slate.records import record
from rust_goals_slate.render.assemble import Assembler
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.pieces import context, counts, everything, last_labels, scans, steady_labels
from rust_goals_slate.render.precompiled import BuiltinLoader, environment
from rust_goals_slate.render.references import Labels, Memo, References
from rust_goals_slate.render.settle import labels, settle
from rust_goals_slate.render.template_cache import bytecode_cache
from rust_goals_slate.resources import templates_dir
from rust_goals_slate.validate.memo import RuleMemo

TEMPLATES = templates_dir()


def template_env(override: Path | None = None) -> jinja2.Environment:
    """The templates of `--templates DIR` first, then the built-in ones (precompiled where they match:
    render/precompiled.py); compiled ones kept between runs by the bytecode cache (render/template_cache.py)."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(BuiltinLoader(str(TEMPLATES), jinja2.FileSystemLoader(str(TEMPLATES))))
    return environment(jinja2.ChoiceLoader(loaders), bytecode_cache())


def source_order(slate: Slate, chapters: tuple[str, ...]) -> list[str]:
    """The order in which definitions claim their labels (spec 3.8): README, chapters, goals by title, the rest."""
    order = ([slate.readme.path] if slate.readme else []) + list(chapters)
    order += [g.path for g in slate.goals]  # in title order (Slate.goals)
    listed = set(order)
    return order + sorted(p for p in slate.documents if p not in listed)


@record
class RfcHeader:
    """The rfcs-template header as the RFC states it: for the PDF's title page and the PR, without reading the text."""

    feature_name: str
    start_date: str
    rfc_pr: str
    rust_issue: str
    rfc_number: str | None  # the rust-lang/rfcs PR number the RFC PR line names, if any


@record
class Rendered:
    """What the render stage returns: the RFC's text, its header values and the problems only the assembled RFC
    shows."""

    text: str
    header: RfcHeader
    diagnostics: tuple[Diagnostic, ...]


def render_rfc(slate: Slate, env: jinja2.Environment, pieces: RuleMemo | None = None) -> Rendered:
    """The RFC of `slate`, assembled from its README (the period's, or the built-in skeleton: parse/skeleton.py).

    Two passes of the same assembly (render/references.py): the first renders no template and finds what the RFC
    names; the labels that depend on all of it (people, definitions, footnotes) are decided from that; the second
    writes the RFC with them, so every template receives final text. `slate watch` passes `pieces`: the directives'
    expansions are kept between rebuilds (render/pieces.py), and its first pass is written with the labels of the
    last rebuild: what a pass uses does not depend on the labels it writes with (they change text only), so when
    its uses give the same labels again that pass is the second one, and only a rebuild whose labels changed makes
    another."""
    readme = slate.readme
    assert readme is not None, "the pipeline gives a period without README.md the built-in skeleton"
    memo = Memo()
    given = last_labels(pieces)
    refs, body = _assemble(slate, env, given, memo, pieces)
    found_labels, renamed = labels(refs)
    if found_labels != given:  # always in a build: the first pass has no labels
        refs, body = _assemble(slate, env, steady_labels(found_labels, pieces), memo, pieces)
    header = rfc_header(slate, readme.header)
    text, dangling = settle([render_header(header, env), *body], refs, scans(pieces))
    return Rendered(text, header, tuple(refs.placed([*refs.uses.found, *renamed, *dangling])))


def _assemble(
    slate: Slate, env: jinja2.Environment, given: Labels | None, memo: Memo, pieces: RuleMemo | None
) -> tuple[References, list[str]]:
    """One pass over the README: its references (what it used, with `given` labels) and the RFC's body, in pieces."""
    assert slate.readme is not None
    chapters = slate.readme.chapters
    order = source_order(slate, chapters)
    refs = References(
        slate=slate,
        site_url=slate.config.site_url,
        chapter_anchor={c: c for c in chapters},
        document_origins=frozenset(order[: 1 + len(chapters)]),
        source_order={p: n for n, p in enumerate(order)},
        labels=given,
        memo=memo,
    )
    profile = slate.profile
    legacy = {}
    if profile is not Profile.C or any(g.ask_format in (AskFormat.TASKS, AskFormat.SUBGOALS) for g in slate.goals):
        from rust_goals_slate.render.legacy import LEGACY_SHAPES

        legacy = dict(LEGACY_SHAPES)
    expander = Expander(slate, refs, env, profile, legacy, pieces)
    if pieces is not None:
        expander.context = context(slate, refs, env, frozenset(legacy), pieces)
        expander.everything = everything(slate, pieces)
        expander.counts = counts(expander, pieces)
    return refs, Assembler(expander).readme(slate.readme)


def rfc_header(slate: Slate, fields: Mapping[str, HeaderField]) -> RfcHeader:
    """The header values: an option wins over the README's value, a linkifier's `[RFC #N]` becomes the template's
    own link, and an empty Feature Name or Rust Issue is `N/A` (validate reports what is missing or a placeholder)."""
    opts = slate.config.options

    def field(key: str, option: str | None, default: str) -> str:
        found = fields.get(key)
        return option or (found.value if found is not None else "") or default

    written = fields["rfc pr"].value if "rfc pr" in fields else ""
    rfc = opts.rfc_number or linkifier_rfc(written)
    rfc_pr = field(
        "rfc pr", f"[rust-lang/rfcs#{rfc}](https://github.com/rust-lang/rfcs/pull/{rfc})" if rfc else None, ""
    )
    number = rfc or (m.group(1) if (m := _RFC_NUMBER.search(rfc_pr)) else None)
    return RfcHeader(
        feature_name=field("feature name", f"`{opts.feature_name}`" if opts.feature_name else None, "N/A"),
        start_date=field("start date", opts.start_date, ""),
        rfc_pr=rfc_pr,
        rust_issue=field("rust issue", opts.rust_issue, "N/A"),
        rfc_number=number,
    )


_RFC_NUMBER = re.compile(r"#(\d+)\]")  # `[rust-lang/rfcs#3849](…)`, as the README's RFC PR value writes it


def render_header(header: RfcHeader, env: jinja2.Environment) -> str:
    values = {"feature_name": header.feature_name, "start_date": header.start_date}
    values |= {"rfc_pr": header.rfc_pr, "rust_issue": header.rust_issue}
    return env.get_template("header.md.j2").render(**values).strip("\n")
