"""Stage 4: render the slate into the RFC text (a pure function of the model and the templates)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import jinja2

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import AskFormat, HeaderField, Profile, Slate
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.readme import parse_readme
from rust_goals_slate.render.assemble import Assembler
from rust_goals_slate.render.expand import Expander
from rust_goals_slate.render.references import References
from rust_goals_slate.render.settle import settle
from rust_goals_slate.render.template_cache import bytecode_cache
from rust_goals_slate.resources import templates_dir

TEMPLATES = templates_dir()
HEADER_NAMES = {
    "feature name": "Feature Name",
    "start date": "Start Date",
    "rfc pr": "RFC PR",
    "rust issue": "Rust Issue",
}
PLACEHOLDERS = ("0000", "fill me in", "yyyy-mm-dd", "nnnn")


def template_env(override: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # the output is Markdown, and cells arrive escaped for Markdown
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache(),  # compiled templates kept between runs; see render/template_cache.py
    )


def source_order(slate: Slate, chapters: tuple[str, ...]) -> list[str]:
    """The order in which definitions claim their labels (spec 3.8): README, chapters, goals by title, the rest."""
    order = ([slate.readme.path] if slate.readme else []) + list(chapters)
    order += [g.path for g in sorted(slate.goals, key=lambda g: title_key(g.title, g.path))]
    listed = set(order)
    return order + sorted(p for p in slate.documents if p not in listed)


def builtin_skeleton(slate: Slate, env: jinja2.Environment) -> tuple[Slate, str]:
    """A period without README.md: `rfc.md.j2` writes a README skeleton (prose and directives) from the slate's
    facts, and it is assembled like a README of the period. Returns the slate holding it and the template's file."""
    template = env.get_template("rfc.md.j2")
    path = f"{slate.src_dir}/README.md"
    text = template.render(slate=slate, profile=slate.profile.value, period=slate.period)
    doc = parse_document(path, text)
    readme = parse_readme(doc, {}, slate.item_pages)
    return replace(slate, documents={**slate.documents, path: doc}, readme=readme), template.filename or "rfc.md.j2"


def render_rfc(slate: Slate, env: jinja2.Environment) -> tuple[str, list[Diagnostic]]:
    builtin: str | None = None
    if slate.readme is None:
        slate, builtin = builtin_skeleton(slate, env)
    readme = slate.readme
    assert readme is not None
    chapters = readme.chapters
    order = source_order(slate, chapters)
    refs = References(
        slate=slate,
        site_url=slate.config.site_url,
        chapter_anchor={c: c for c in chapters},
        document_origins=frozenset(order[: 1 + len(chapters)]),
        source_order={p: n for n, p in enumerate(order)},
    )
    profile = slate.profile
    legacy = {}
    if profile is not Profile.C or any(g.ask_format in (AskFormat.TASKS, AskFormat.SUBGOALS) for g in slate.goals):
        from rust_goals_slate.render.legacy import LEGACY_SHAPES

        legacy = dict(LEGACY_SHAPES)
    expander = Expander(slate, refs, env, profile, legacy)
    header = render_header(slate, readme.header, env, refs, "" if builtin else readme.path)
    body = Assembler(expander).readme(readme)
    text = settle(header + "\n\n" + body, refs)
    if builtin is None:
        return text, refs.problems
    # problems found in the built-in skeleton name the template they come from
    return text, [
        replace(d, location=replace(d.location, path=builtin)) if d.location.path == readme.path else d
        for d in refs.problems
    ]


def render_header(
    slate: Slate, fields: Mapping[str, HeaderField], env: jinja2.Environment, refs: References, readme: str
) -> str:
    opts = slate.config.options

    def field(key: str, option: str | None, default: str | None) -> str:
        if option:
            return option
        found = fields.get(key)
        value, line = (found.value, found.location.line) if found is not None else ("", 0)
        if found is not None and value and any(p in value.casefold() for p in PLACEHOLDERS):
            refs.problems.append(
                Diagnostic(
                    replace(found.location, path=readme),
                    Severity.WARNING,
                    "header-placeholder",
                    f"header '{HEADER_NAMES[key]}' holds a placeholder: {value}",
                    hint=_option_hint(key),
                )
            )
        if not value and default is None:
            refs.problems.append(
                Diagnostic(
                    Location(readme or slate.src_dir, line),
                    Severity.WARNING,
                    "header-missing",
                    f"header '{HEADER_NAMES[key]}' has no value",
                    hint=_option_hint(key),
                )
            )
        return value or (default or "")

    rfc = opts.rfc_number or _linkifier_rfc(fields["rfc pr"].value if "rfc pr" in fields else "")
    rfc_pr = f"[rust-lang/rfcs#{rfc}](https://github.com/rust-lang/rfcs/pull/{rfc})" if rfc else None
    feature = f"`{opts.feature_name}`" if opts.feature_name else None
    return (
        env.get_template("header.md.j2")
        .render(
            feature_name=field("feature name", feature, "N/A"),
            start_date=field("start date", opts.start_date, None),
            rfc_pr=field("rfc pr", rfc_pr, None),
            rust_issue=field("rust issue", opts.rust_issue, "N/A"),
        )
        .strip("\n")
    )


# `[RFC #3935]` or `[rust-lang/rfcs#3849]`: the goals site's linkifiers make these links, but the header line is
# never linkified (spec 3.2), so a README written that way gets the template's own form, which needs no definition.
_RFC_REFERENCE = re.compile(r"^\[(?:RFC #|rust-lang/rfcs#)([0-9]+)\](?:\[\])?$")


def _linkifier_rfc(value: str) -> str | None:
    m = _RFC_REFERENCE.match(value.strip())
    return m.group(1) if m else None


def _option_hint(key: str) -> str:
    return {"start date": "pass --start-date YYYY-MM-DD", "rfc pr": "pass --rfc-number N"}.get(key, "")
