"""Stage 2: parse the period's Markdown files into the typed model (goals, roadmaps, areas, pages).

Parsing reports what is malformed in one file (unknown keys, statuses, levels); what needs the whole slate or the
team data (unknown teams, handles, themes) is left to `rust_goals_slate.validate`.

Each file is parsed on its own (`read_item`), so `slate watch` can keep the result of an unchanged file: a
`ParseMemo` passed to `parse_slate` remembers every file's Document and model item by path and content hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rust_goals_slate.errors import Diagnostic
from rust_goals_slate.model import Area, Config, Document, Goal, Roadmap, Slate, TeamRegistry, theme_key
from rust_goals_slate.model.repository_format import is_template
from rust_goals_slate.parse.goals import parse_goal
from rust_goals_slate.parse.inline import title_key
from rust_goals_slate.parse.markdown import parse_document
from rust_goals_slate.parse.readme import directives_in, parse_readme
from rust_goals_slate.parse.roadmaps import parse_area, parse_roadmap
from rust_goals_slate.sources.discover import SourceTree

Item = Goal | Roadmap | Area | None
Parsed = tuple[Document, Item, tuple[Diagnostic, ...]]  # one file


def read_item(doc: Document, config: Config, readme_path: str) -> tuple[Item, tuple[Diagnostic, ...]]:
    """What one file holds, chosen by its name, and the problems found in it."""
    name = doc.path.rsplit("/", 1)[-1]
    item: Item = None
    problems: list[Diagnostic] = []
    if doc.path == readme_path or name == "README.md" or is_template(name):
        pass  # the goal template kept in a period folder (TEMPLATE.md, 0000-TEMPLATE.md) is a page, not a goal
    elif name.startswith("roadmap-"):
        item, problems = parse_roadmap(doc)
    elif name.startswith("area-"):
        item, problems = parse_area(doc)
    else:
        item, problems = parse_goal(doc, config)
    return item, tuple(problems)


@dataclass
class ParseMemo:
    """Each file's Document and item from the last parse, by path and content hash (`slate watch`).

    A Document depends on the text alone; an item also on the configuration (the ask kinds), so a changed
    configuration drops the items and keeps the Documents."""

    _documents: dict[str, tuple[str, Document]] = field(default_factory=dict)
    _items: dict[str, tuple[str, Item, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    _config: Config | None = None
    changed: tuple[str, ...] = ()  # files whose text differs from the last parse (none the first time), or deleted
    reparsed: tuple[str, ...] = ()  # files whose Markdown was parsed in the last parse

    def parse(
        self, tree: SourceTree, config: Config, readme_path: str
    ) -> list[tuple[Document, Item, tuple[Diagnostic, ...]]]:
        if config != self._config:
            self._items.clear()
            self._config = config
        documents: dict[str, tuple[str, Document]] = {}
        items: dict[str, tuple[str, Item, tuple[Diagnostic, ...]]] = {}
        changed: list[str] = []
        reparsed: list[str] = []
        for f in tree.files:
            digest = hashlib.blake2b(f.text.encode("utf-8"), digest_size=16).hexdigest()
            known = self._documents.get(f.path)
            if known is None or known[0] != digest:
                if self._documents:
                    changed.append(f.path)
                known = (digest, parse_document(f.path, f.text))
                reparsed.append(f.path)
            documents[f.path] = known
            cached = self._items.get(f.path)
            if cached is None or cached[0] != digest:
                cached = (digest, *read_item(known[1], config, readme_path))
            items[f.path] = cached
        if self._documents:
            changed += sorted(set(self._documents) - set(documents))  # deleted files
        self._documents, self._items = documents, items
        self.changed, self.reparsed = tuple(changed), tuple(reparsed)
        return [(documents[p][1], item, problems) for p, (_, item, problems) in items.items()]


def parse_slate(
    tree: SourceTree, config: Config, teams: TeamRegistry, memo: ParseMemo | None = None
) -> tuple[Slate, list[Diagnostic]]:
    readme_path = f"{tree.src_dir}/README.md"
    parsed: list[Parsed] = []
    if memo is not None:
        parsed = memo.parse(tree, config, readme_path)
    else:
        for f in tree.files:
            doc = parse_document(f.path, f.text)
            parsed.append((doc, *read_item(doc, config, readme_path)))
    documents = {doc.path: doc for doc, _, _ in parsed}
    found = [item for _, item, _ in parsed]
    goals = sorted((i for i in found if isinstance(i, Goal)), key=lambda g: title_key(g.title, g.path))
    roadmaps = sorted((i for i in found if isinstance(i, Roadmap)), key=lambda r: (theme_key(r.short_title), r.path))
    areas = collect_areas(roadmaps, [i for i in found if isinstance(i, Area)])
    items = {g.path for g in goals} | {r.path for r in roadmaps} | {a.path for a in areas if a.path}
    readme = documents.get(readme_path)
    uses = {p: directives_in(doc) for p, doc in documents.items() if p not in items}
    slate = Slate(
        period=tree.period,
        src_dir=tree.src_dir,
        config=config,
        teams=teams,
        documents=documents,
        readme=parse_readme(readme, uses, frozenset(items)) if readme is not None else None,
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
