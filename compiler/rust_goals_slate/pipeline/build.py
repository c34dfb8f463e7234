"""The pipeline, as a straight line of stages: discover -> parse -> validate -> render -> write."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import field, replace
from pathlib import Path

import jinja2

from rust_goals_slate.codes import Level
from rust_goals_slate.errors import BuildFailed, Diagnostic, Location, Severity, ToolError, UsageError
from rust_goals_slate.model import Options, Slate, TeamRegistry
from rust_goals_slate.parse.memo import ParseMemo
from rust_goals_slate.parse.skeleton import with_builtin_readme
from rust_goals_slate.parse.slate import parse_slate
from rust_goals_slate.pipeline.write import write_outputs
from rust_goals_slate.records import record
from rust_goals_slate.render.rfc import RfcHeader, render_rfc, template_env
from rust_goals_slate.review.pr_body import render_pr_body
from rust_goals_slate.sources.config import load_config
from rust_goals_slate.sources.discover import find_root, read_tree
from rust_goals_slate.sources.memo import ReadMemo
from rust_goals_slate.sources.severity import apply_policy, read_policy
from rust_goals_slate.sources.teams import load_teams
from rust_goals_slate.validate.memo import RuleMemo
from rust_goals_slate.validate.slate import validate


@record
class Request:
    """What to build: the period folder, the team data, the output folder and the options."""

    src: Path
    teams: Path | None = None
    out: Path = Path("build")
    options: Options = field(default_factory=Options)
    templates: Path | None = None
    config: Path | None = None
    formats: tuple[str, ...] = ("md",)
    pdf_engine: str = "typst"
    strict: bool = False
    readme: Path | None = None  # a README skeleton used instead of `<src>/README.md`
    # --error/--warn/--ignore, over slate.toml's [severity] (sources/severity.py): (code, level), later ones win
    severity: tuple[tuple[str, Level], ...] = ()


@record
class Result:
    """The RFC text and its header values, the parsed slate, every diagnostic, and the files written."""

    text: str
    slate: Slate
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: tuple[Path, ...] = ()
    header: RfcHeader | None = None

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def fails(self, strict: bool) -> bool:
        """Nothing may be written: an error, or with --strict any problem."""
        return self.has_errors or (strict and bool(self.diagnostics))


def find_teams(src: Path, root: Path) -> Path:
    """Without --teams: a `teams.yaml` or a `team/` checkout at the input root, or beside it."""
    for folder in (root, root.parent):
        for candidate in (folder / "teams.yaml", folder / "team"):
            if candidate.exists():
                return candidate
    raise UsageError(f"no team data found for {src}: pass --teams (a rust-lang/team checkout or a teams.yaml)")


TeamLoader = Callable[[Path], TeamRegistry]


def read_slate(
    request: Request, memo: ParseMemo | None = None, teams: TeamLoader = load_teams
) -> tuple[Slate, list[Diagnostic]]:
    """The parsed model without validating or rendering (for fcp, diff, team): discover, config, teams, parse.

    `slate watch` passes a `memo` (unchanged files are not parsed again) and a team loader that keeps the team
    data until it changes."""
    slate, problems = _read(request, memo, teams)
    return slate, with_policy(located(problems, request, slate), request)


def _read(
    request: Request,
    memo: ParseMemo | None,
    teams: TeamLoader,
    env: jinja2.Environment | None = None,
    reads: ReadMemo | None = None,
) -> tuple[Slate, list[Diagnostic]]:
    tree, problems = read_tree(request.src, request.config, request.readme, reads)
    config, config_problems = load_config(
        tree.root, tree.period, tree.book_toml, tree.goals_toml, request.options, reads
    )
    registry = teams(request.teams or find_teams(request.src, tree.root))
    slate, parse_problems = parse_slate(tree, config, registry, memo)
    if slate.readme is None:  # no README.md: the built-in skeleton is the README, for validate and render alike
        env = env or template_env(request.templates)
        slate = with_builtin_readme(slate, env)
    return slate, problems + config_problems + parse_problems


def compile_slate(
    request: Request,
    memo: ParseMemo | None = None,
    teams: TeamLoader = load_teams,
    env: jinja2.Environment | None = None,
    rules: RuleMemo | None = None,
    pieces: RuleMemo | None = None,
    reads: ReadMemo | None = None,
) -> Result:
    """Every stage but writing: the RFC text and every diagnostic, errors included. `slate watch` passes the
    memos: `reads` for the files read (sources/memo.py), `memo` for the parse, `rules` for validate
    (validate/memo.py), `pieces` for the render (render/pieces.py)."""
    env = env or template_env(request.templates)
    slate, read_problems = _read(request, memo, teams, env, reads)
    rule_problems = validate(slate, rules)
    rendered = render_rfc(slate, env, pieces)
    # each problem is reported by one stage (the render only what needs the assembled document), so none is merged
    found = located([*read_problems, *rule_problems, *rendered.diagnostics], request, slate)
    return Result(rendered.text, slate, with_policy(found, request), header=rendered.header)


def with_policy(diagnostics: list[Diagnostic], request: Request) -> list[Diagnostic]:
    """Each problem at the severity slate.toml's [severity] and --error/--warn/--ignore give its code, sorted; the
    one place every command (build, check, watch, fcp, team, ...) applies them, so `slate fcp` counts as errors
    exactly what `slate check` calls errors."""
    levels, policy_problems = read_policy(find_root(Path(os.path.abspath(request.src)))[0])
    levels.update(request.severity)
    return sorted(apply_policy(diagnostics + policy_problems, levels), key=Diagnostic.sort_key)


def located(diagnostics: list[Diagnostic], request: Request, slate: Slate) -> list[Diagnostic]:
    """The one place where the stages' diagnostics get their source line (the line they point at, from the parsed
    file: so build, check and watch print a problem alike) and their final path: the README is parsed as
    `<src_dir>/README.md`, which names the file given with --readme, or the built-in skeleton's template."""
    readme = f"{slate.src_dir}/README.md"
    template = slate.readme.template if slate.readme is not None else None
    shown_as = str(request.readme) if request.readme is not None else template
    out = []
    for d in diagnostics:
        doc = slate.documents.get(d.location.path)
        if d.source_line is None and doc is not None and d.location.line > 0:
            d = replace(d, source_line=doc.source_line(d.location.line))
        if shown_as is not None and d.location.path == readme:
            d = replace(d, location=replace(d.location, path=shown_as))
        out.append(d)
    return out


def markdown_outputs(
    request: Request, result: Result, env: jinja2.Environment, pieces: RuleMemo | None = None
) -> list[tuple[Path, str]]:
    """rfc.md and pr-body.md; the PR body may refuse (too long), so this runs before anything is written."""
    body = render_pr_body(result.slate, env, pieces)
    return [(request.out / "rfc.md", result.text), (request.out / "pr-body.md", body.text)]


def build(request: Request) -> Result:
    """Compile, then write every output or none: rfc.md, pr-body.md and (with `pdf`) rfc.pdf are all produced
    before any is written; a PDF failure is reported as an error of the build and leaves the folder as it was."""
    env = template_env(request.templates)
    result = compile_slate(request, env=env)
    if result.fails(request.strict):
        raise BuildFailed(result.diagnostics, result.slate.teams.source, result.slate.teams.origin)
    outputs: list[tuple[Path, str | bytes]] = list(markdown_outputs(request, result, env))
    if "pdf" in request.formats:
        try:
            outputs.append((request.out / "rfc.pdf", _typeset(request, result)))
        except ToolError as exc:
            where = exc.location or Location(result.slate.src_dir)
            failed = Diagnostic(where, Severity.ERROR, "pdf-failed", str(exc))
            diagnostics = sorted([*result.diagnostics, failed], key=Diagnostic.sort_key)
            raise BuildFailed(diagnostics, result.slate.teams.source, result.slate.teams.origin) from exc
    write_outputs(outputs)
    return Result(result.text, result.slate, result.diagnostics, tuple(path for path, _ in outputs), result.header)


def _typeset(request: Request, result: Result) -> bytes:
    from rust_goals_slate.pdf.provenance import pdf_time, source_revision
    from rust_goals_slate.pdf.typeset import PdfMeta, typeset

    assert result.header is not None  # compile_slate's
    built, is_revision = pdf_time(request.src)
    meta = PdfMeta(
        title=f"Rust Project Goals {result.slate.period}",
        period=result.slate.period,
        rfc_number=result.header.rfc_number,
        date=result.header.start_date or None,
        goal_count=len(result.slate.slate_goals),
        built=built,
        built_is_revision=is_revision,
        revision=source_revision(request.src),
    )
    # Local images come from the period folder, the only tree the PDF build may read.
    tree = request.src.resolve()
    return typeset(result.text, meta, engine=request.pdf_engine, resource_dir=tree, locate=_locator(result.slate))


def _locator(slate: Slate) -> Callable[[str], Location | None]:
    """Where a piece of the RFC's text (an image's path) is written in the sources: the first file that has it."""

    def locate(needle: str) -> Location | None:
        for path in sorted(slate.documents):
            document = slate.documents[path]
            at = document.text.find(needle)
            if at >= 0:
                return document.location(at)
        return None

    return locate
