"""Stage 2: parse the period's Markdown files into the typed model (goals, roadmaps, areas, pages).

Parsing reports what is malformed in one file (unknown keys, statuses, levels); what needs the whole slate or the
team data (unknown teams, handles, themes) is left to `rust_goals_slate.validate`.

Each file is parsed on its own (`parse.memo.read_item`), through the parse memo (`parse.memo.ParseMemo`): a file
whose path, text and configuration were parsed before, by this process (`slate watch`) or by an earlier build (slate's
cache folder), is not parsed again; what is worked out here from one file (a goal's title key, a page's directives,
the README model) is kept by the memo with the objects it came from (`ParseMemo.kept`).
"""

from __future__ import annotations

from functools import partial

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.model import Area, Config, Goal, Roadmap, Slate, TeamRegistry, theme_key
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.parse.memo import ParseMemo
from rust_goals_slate.parse.readme import directives_in, parse_readme
from rust_goals_slate.sources.discover import SourceTree


def parse_slate(
    tree: SourceTree, config: Config, teams: TeamRegistry, memo: ParseMemo | None = None
) -> tuple[Slate, list[Diagnostic]]:
    readme_path = f"{tree.src_dir}/README.md"
    memo = memo if memo is not None else ParseMemo()
    parsed = memo.parse(tree, config, readme_path)
    documents = {doc.path: doc for doc, _, _ in parsed}
    found = [item for _, item, _ in parsed]
    # What is worked out from one file is kept by the memo while the file's objects are the same (`slate watch`).
    goals = sorted(
        (i for i in found if isinstance(i, Goal)),
        key=lambda g: memo.kept("title key", g.path, (g,), partial(title_key, g.title, g.path)),
    )
    roadmaps = sorted((i for i in found if isinstance(i, Roadmap)), key=lambda r: (theme_key(r.short_title), r.path))
    areas = collect_areas(roadmaps, [i for i in found if isinstance(i, Area)])
    items = frozenset({g.path for g in goals} | {r.path for r in roadmaps} | {a.path for a in areas if a.path})
    readme = documents.get(readme_path)
    uses = {
        p: memo.kept("directives", p, (doc,), partial(directives_in, doc))
        for p, doc in documents.items()
        if p not in items
    }
    slate = Slate(
        period=tree.period,
        src_dir=tree.src_dir,
        config=config,
        teams=teams,
        documents=documents,
        readme=(
            memo.kept("readme", readme_path, (readme, items, *uses.items()), partial(parse_readme, readme, uses, items))
            if readme is not None
            else None
        ),
        goals=tuple(goals),
        roadmaps=tuple(roadmaps),
        areas=areas,
        page_directives=tuple(d for page in uses.values() for d in page),
    )
    return slate, [d for _, _, problems in parsed for d in problems]


def collect_areas(roadmaps: list[Roadmap], pages: list[Area]) -> tuple[Area, ...]:
    """Areas are named by roadmaps; an area page adds a description. The first spelling seen names the area."""
    areas: dict[str, Area] = {}
    for page in pages:
        areas.setdefault(theme_key(page.name), page)
    named: dict[str, str] = {}
    for roadmap in roadmaps:
        for name in roadmap.areas:
            named.setdefault(theme_key(name), name)
    for key, name in named.items():
        areas.setdefault(key, Area(name=name))
    return tuple(sorted(areas.values(), key=lambda a: (theme_key(a.name), a.name)))
