"""What depends on the whole document, worked out once: the labels the second pass writes with (`labels`, from
the first pass's uses), and after it the definitions and footnotes blocks and the heading ids that in-document
anchors resolve to (`settle`). So names, renames, footnote labels and heading ids depend only on the document,
never on the order in which its parts were rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rust_goals_slate.errors import InputError, Severity, shown
from rust_goals_slate.model import normalize_label
from rust_goals_slate.parse.inline import SlugCounter, github_slug
from rust_goals_slate.parse.links import Problem, missing_anchor
from rust_goals_slate.records import record
from rust_goals_slate.render.references import Definition, Found, Labels, References, Uses

_ANCHOR = re.compile(r"\x00A([^\x00]*)\x00")
_MARKER = re.compile(r"\x00M([^\x00]*)\x00")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*$")
# the first characters a line matching _FENCE or _ATX can have (a test before the patterns: most lines have neither)
_FENCE_START = frozenset(" `~")
_FENCE_OR_ATX = frozenset(" `~#")


def labels(refs: References) -> tuple[Labels, list[Found]]:
    """The labels of what the first pass over a document used, and the definitions that had to be renamed."""
    uses = refs.uses
    people = _people_labels(uses)
    reserved = {normalize_label(label): f"https://github.com/{login}" for login, label in people.items()}
    for key in uses.teams:
        team = refs.slate.teams.team(key)
        reserved[normalize_label(key)] = team.url if team else ""
    reserved |= {normalize_label(b): url for b, url in uses.badges.items()}
    definitions, renamed = _definition_labels(refs, reserved)
    footnotes: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    # a label two files' footnotes share: the first in source order keeps it, as for definitions (spec 3.8)
    for origin, key in sorted(uses.footnotes, key=lambda k: (refs.source_order.get(k[0], 1 << 30), *k)):
        label = uses.foot_labels[(origin, key)]
        final = label
        if normalize_label(final) in taken:
            final = f"{label}--{origin.rsplit('/', 1)[-1].removesuffix('.md')}"
        taken.add(normalize_label(final))
        footnotes[(origin, key)] = final
    return Labels(people, definitions, footnotes), renamed


def _people_labels(uses: Uses) -> dict[str, str]:
    """A person's display name, or `Name (login)` when two people of the document share it (spec 3.6)."""
    by_name: dict[str, list[str]] = {}
    for login, name in uses.people.items():
        by_name.setdefault(name.casefold(), []).append(login)
    found = {}
    for login, name in uses.people.items():
        clash = len(by_name[name.casefold()]) > 1
        found[login] = f"{name} ({login})" if clash else name
    return found


def _definition_labels(refs: References, reserved: dict[str, str]) -> tuple[dict[tuple[str, str], str], list[Found]]:
    """The label each used definition gets in the RFC, by (file, key): its own, unless another file defines the same
    label with another target, or a person, team or badge has it (then renamed, and reported)."""
    uses = refs.uses
    final: dict[tuple[str, str], str] = {}
    renamed: list[Found] = []
    used: dict[tuple[str, str], Definition] = {}
    for use in uses.refs:
        used[(use.origin, use.key)] = uses.defs[(use.origin, use.key)]
    groups: dict[str, list[Definition]] = {}
    for d in used.values():
        groups.setdefault(d.key, []).append(d)
    taken = set(reserved)
    for key in sorted(groups):
        defs = sorted(groups[key], key=lambda d: (refs.source_order.get(d.origin, 1 << 30), d.origin, d.line))
        first = defs[0]
        winners: list[Definition] = []
        for d in defs:
            same = next((w for w in winners if w.url == d.url and w.title == d.title), None)
            if same is not None:
                final[d.where] = final[same.where]
                continue
            if not winners and key in reserved and reserved[key] == d.url and not d.title:
                final[d.where] = d.label  # the same link as a badge, team or person: one definition serves both
                winners.append(d)
                continue
            if not winners and key not in taken:
                final[d.where] = d.label
            else:
                stem = d.origin.rsplit("/", 1)[-1].removesuffix(".md")
                base = f"{d.label}--{stem}"
                candidate, n = base, 1
                while normalize_label(candidate) in taken:
                    n += 1
                    candidate = f"{base}-{n}"
                final[d.where] = candidate
                why = (
                    f"'[{d.label}]' is also defined in {first.origin}:{first.line} with another target"
                    if winners
                    else f"'[{d.label}]' is also the label of a person, team or badge"
                )
                message = f"{why}; renamed to '[{candidate}]' in the RFC"
                renamed.append(Found(d.origin, d.line, Severity.WARNING, "renamed-definition", message, token="["))
            taken.add(normalize_label(final[d.where]))
            winners.append(d)
    return final, renamed


def _check_anchors(text: str) -> None:
    """Every NUL of the text belongs to an anchor or a chapter marker the rewrites left: a custom template may have
    passed a value holding one (a link of goal text to an inlined chapter) through a filter (`truncate`, a slice) and
    cut it; that stops the build with a message, not a traceback."""
    rest = _MARKER.sub("", _ANCHOR.sub("", text))
    if "\x00" in rest:
        at = rest.index("\x00")
        raise InputError(
            f"a custom template changed one of slate's anchors ('{shown(rest[max(0, at - 20) : at + 20])}'): a "
            "value that links to a chapter of the RFC cannot go through a filter such as truncate or a slice"
        )


def settle(
    pieces: Sequence[str], refs: References, kept: dict[tuple[str | None, str], Scan] | None = None
) -> tuple[str, list[Found]]:
    """The document: its `pieces` joined by blank lines (written with `refs.labels`), with the definitions and
    footnotes blocks of what it used, and its in-document anchors resolved to heading ids; and the anchors that match
    no heading. Each piece is read once (`scan`); `slate watch` passes `kept`, the last rebuild's scans, which this
    one's replace: a piece written again as before is not read again."""
    scans = _scans(pieces, kept)
    if not all(s.clean for s in scans):
        _check_anchors("\n\n".join(pieces))
    uses, given = refs.uses, refs.labels or Labels()
    anchors = _heading_ids(scans)

    definitions: list[tuple[str, str]] = []
    for login in uses.people:
        definitions.append((given.people.get(login, uses.people[login]), f"https://github.com/{login}"))
    for key in uses.teams:
        team = refs.slate.teams.team(key)
        if team is not None:
            definitions.append((team.key, team.url))
    definitions.extend(uses.badges.items())
    seen: set[tuple[str, str]] = set()
    defined = {normalize_label(x) for x, _ in definitions}  # the labels of `definitions`, kept in step with it
    for use in uses.refs:
        d = uses.defs[(use.origin, use.key)]
        label = given.definitions.get(d.where, d.label)
        if d.where in seen or normalize_label(label) in defined:
            continue
        seen.add(d.where)
        url = d.url + (f' "{d.title}"' if d.title else "")
        definitions.append((label, url))
        defined.add(normalize_label(label))
    definitions.sort(key=lambda item: (normalize_label(item[0]), item[0]))
    block = [f"[{label}]: {url}" for label, url in definitions]
    feet = [f"[^{given.footnotes[k]}]: {uses.footnotes[k]}" for k in _cited(scans, uses, given)]

    # The text is joined once and each copy of it dropped as soon as the next is made (`+=` copies the whole text
    # in a function that runs once): settle held four at the 200x synthetic slate's peak (docs/performance.md).
    tail = ["\n"]
    if block:
        tail += ["\n", "\n".join(block), "\n"]
    if feet:
        tail += ["\n", "\n\n".join(feet), "\n"]
    text = "".join(["\n\n".join([s.text for s in scans]).rstrip("\n"), *tail])
    text, dangling = _resolve_anchors(text, anchors)
    lines = text.split("\n")
    del text
    return _tidy(lines), dangling


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def _cited(scans: Sequence[Scan], uses: Uses, given: Labels) -> list[tuple[str, str]]:
    """The footnotes the text cites, by first reference (spec 3.8): in the body as laid out by the templates, each
    followed by those its own text cites. Their labels are the document's, so each names one footnote."""
    by_label = {label: k for k, label in given.footnotes.items() if k in uses.footnotes}
    order: dict[tuple[str, str], None] = {}

    def cite(labels: Iterable[str]) -> None:
        for label in labels:
            k = by_label.get(label)
            if k is not None and k not in order:
                order[k] = None
                cite(_footnote_refs(uses.footnotes[k]))

    for scan in scans:
        cite(scan.footnotes)
    return list(order)


def _footnote_refs(text: str) -> tuple[str, ...]:
    """The labels of the footnote references of `text`, in order (a reference holds no blank: none spans pieces)."""
    return tuple(m.group(1) for m in _FOOTNOTE_REF.finditer(text)) if "[^" in text else ()


@record
class Scan:
    """What settle reads of one piece of the document, given the code fence open where it starts: its text with the
    chapter markers taken out of its headings, each heading's GitHub id before de-duplication (which depends on the
    headings before it) and the chapter keys it stands for, the footnote references it makes, the fence open at its
    end, and whether each NUL of it belongs to an anchor or a marker."""

    text: str
    headings: tuple[tuple[str, tuple[str, ...]], ...]
    footnotes: tuple[str, ...]
    fence: str | None
    clean: bool


def _scans(pieces: Sequence[str], kept: dict[tuple[str | None, str], Scan] | None) -> list[Scan]:
    """Each piece's scan, in order (the fence open at the end of one is open at the start of the next)."""
    out: list[Scan] = []
    now: dict[tuple[str | None, str], Scan] = {}
    fence: str | None = None
    for piece in pieces:
        key = (fence, piece)
        found = kept.get(key) if kept is not None else None
        if found is None:
            found = scan(piece, fence)
        now[key] = found
        out.append(found)
        fence = found.fence
    if kept is not None:  # this rebuild's scans, and no others: a long watch does not pile them up
        kept.clear()
        kept.update(now)
    return out


def scan(piece: str, fence: str | None) -> Scan:
    """One piece of the document read line by line (`fence`: the code fence open where it starts)."""
    headings: list[tuple[str, tuple[str, ...]]] = []
    lines = piece.split("\n")
    for i, line in enumerate(lines):
        if line[:1] not in _FENCE_OR_ATX:
            continue  # neither a fence nor a heading (most lines: table rows, prose)
        f = _FENCE.match(line)
        if fence is not None:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            continue
        m = _ATX.match(line)
        if not m:
            continue
        keys = tuple(_MARKER.findall(line))
        unmarked = _MARKER.sub("", line)
        title = _ATX.match(unmarked)
        headings.append((github_slug(title.group(2) if title else ""), keys))
        lines[i] = unmarked.rstrip()
    text = "\n".join(lines) if headings else piece
    clean = "\x00" not in piece or "\x00" not in _MARKER.sub("", _ANCHOR.sub("", piece))
    return Scan(text, tuple(headings), _footnote_refs(text), fence, clean)


def _heading_ids(scans: Sequence[Scan]) -> dict[str, str]:
    """GitHub ids of every heading in document order; markers map chapter keys to the ids of their headings."""
    counter = SlugCounter()
    anchors: dict[str, str] = {}
    for s in scans:
        for base, keys in s.headings:
            slug = counter.add_slug(base)
            for key in keys:
                anchors[key] = slug
    anchors["#"] = ""
    for slug in counter.ids:
        anchors.setdefault("#" + slug, slug)
    return anchors


# A dangling anchor gets a "did you mean" from the RFC's heading ids; past this many, no more (each hint compares the
# anchor with every id: a text full of dangling anchors must not make the build quadratic).
_ANCHOR_HINTS = 64


def _resolve_anchors(text: str, anchors: dict[str, str]) -> tuple[str, list[Found]]:
    ids = sorted({slug for slug in anchors.values() if slug})
    problems: dict[str, Problem] = {}

    def one(m: re.Match[str]) -> str:
        value = m.group(1)
        if value.startswith("#"):
            if value in anchors:
                return "#" + anchors[value]
            if value not in problems:
                problems[value] = missing_anchor(value, "the RFC", ids if len(problems) < _ANCHOR_HINTS else ())
            return value
        path, _, fragment = value.partition("#")
        if fragment and f"{path}#{fragment}" in anchors:
            return "#" + anchors[f"{path}#{fragment}"]
        return "#" + anchors.get(path, "")

    text = _ANCHOR.sub(one, text)
    dangling = [
        Found("(output)", 0, Severity.WARNING, p.code, p.message, p.hint, once=value) for value, p in problems.items()
    ]
    return text, dangling


def _tidy(lines: list[str]) -> str:
    """The text of `lines` with no trailing whitespace, one blank line at most between blocks (outside code), one
    final newline."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        f = _FENCE.match(line) if line[:1] in _FENCE_START else None
        if fence is None and f:
            fence = f.group(1)
        elif fence is not None and f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
            fence = None
        line = line.rstrip()
        if fence is None and not line and out and not out[-1]:
            continue
        out.append(line)
    first = next((i for i, line in enumerate(out) if line), len(out))
    while len(out) > first and not out[-1]:
        out.pop()
    del out[:first]
    out.append("")  # the final newline, in the one join
    return "\n".join(out) if len(out) > 1 else "\n"
