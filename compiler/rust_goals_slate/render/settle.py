"""The last step of rendering: settle every sentinel the rewrites left, then append the definitions block.

Done once over the whole body, so that names, renames, footnote numbers and heading ids depend only on the
document, never on the order in which its parts were rendered.
"""

from __future__ import annotations

import re
from typing import NoReturn

from rust_goals_slate.errors import InputError, Severity, shown
from rust_goals_slate.model import normalize_label
from rust_goals_slate.parse.inline import SlugCounter
from rust_goals_slate.parse.links import Problem, missing_anchor
from rust_goals_slate.render.references import Definition, References

_SENTINEL = re.compile(r"\x00([PRFA])([^\x00]*)\x00")
_MARKER = re.compile(r"\x00M([^\x00]*)\x00")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*$")


def _people_labels(refs: References) -> dict[str, str]:
    by_name: dict[str, list[str]] = {}
    for login, name in refs.people.items():
        by_name.setdefault(name.casefold(), []).append(login)
    labels = {}
    for login, name in refs.people.items():
        clash = len(by_name[name.casefold()]) > 1
        labels[login] = f"{name} ({login})" if clash else name
    return labels


def _settle_defs(refs: References, reserved: dict[str, str]) -> dict[tuple[str, str], str]:
    """The label each used definition gets in the RFC, by (file, key): its own, unless another file defines the same
    label with another target, or a person, team or badge has it (then renamed, and reported)."""
    final: dict[tuple[str, str], str] = {}
    used: dict[tuple[str, str], Definition] = {}
    for use in refs.refs:
        used[(use.origin, use.key)] = refs.defs[(use.origin, use.key)]
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
                refs.report(
                    d.origin,
                    d.line,
                    Severity.WARNING,
                    "renamed-definition",
                    f"{why}; renamed to '[{candidate}]' in the RFC",
                    token="[",
                )
            taken.add(normalize_label(final[d.where]))
            winners.append(d)
    return final


def _ref_text(refs: References, final: dict[tuple[str, str], str], index: int) -> str:
    use = refs.refs[index]
    label = final[refs.defs[(use.origin, use.key)].where]
    if normalize_label(label) == use.key:
        return use.text
    bang = "!" if use.image else ""
    return f"{bang}[{use.label}][{label}]"


def _check_placeholders(text: str, refs: References) -> None:
    """Every placeholder of the text is one the rewrites left: a custom template may have passed a value that holds
    one through a filter (`upper`, `truncate`, `replace`) and broken it; that stops the build with a message, not a
    traceback."""
    nuls = 2 * sum(1 for _ in _MARKER.finditer(text))
    for m in _SENTINEL.finditer(text):
        nuls += 2
        kind, value = m.group(1), m.group(2)
        origin, _, key = value.partition("\x01")
        if (
            (kind == "P" and value not in refs.people)
            or (kind == "R" and not (value.isdigit() and int(value) < len(refs.refs)))
            or (kind == "F" and (origin, key) not in refs.footnotes)
        ):
            _altered(m.group(0))
    if text.count("\x00") != nuls:  # a placeholder cut short
        rest = _MARKER.sub("", _SENTINEL.sub("", text))
        at = rest.index("\x00")
        _altered(rest[max(0, at - 20) : at + 20])


def _altered(piece: str) -> NoReturn:
    raise InputError(
        f"a custom template changed one of slate's placeholders ('{shown(piece)}'): a value that names people, "
        "references or footnotes cannot go through a filter such as upper, truncate or replace"
    )


def settle(body: str, refs: References) -> str:
    _check_placeholders(body, refs)
    people = _people_labels(refs)
    reserved = {normalize_label(label): f"https://github.com/{login}" for login, label in people.items()}
    for key in refs.teams:
        team = refs.slate.teams.team(key)
        reserved[normalize_label(key)] = team.url if team else ""
    reserved |= {normalize_label(b): url for b, url in refs.badges.items()}
    def_labels = _settle_defs(refs, reserved)

    # Footnotes are numbered by first reference: collect them in the order the body (then footnotes) cites them.
    order: list[tuple[str, str]] = []
    cited: set[tuple[str, str]] = set()  # the members of `order`, for a constant-time test

    def cite(text: str) -> None:
        for m in _SENTINEL.finditer(text):
            if m.group(1) == "F":
                origin, _, key = m.group(2).partition("\x01")
                if (origin, key) not in cited:
                    cited.add((origin, key))
                    order.append((origin, key))
                    cite(refs.footnotes[(origin, key)])

    cite(body)
    foot_final: dict[tuple[str, str], str] = {}
    taken_feet: set[str] = set()
    for origin, key in order:
        label = refs.foot_labels[(origin, key)]
        final = label
        if normalize_label(final) in taken_feet:
            final = f"{label}--{origin.rsplit('/', 1)[-1].removesuffix('.md')}"
        taken_feet.add(normalize_label(final))
        foot_final[(origin, key)] = final

    def substitute(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            kind, value = m.group(1), m.group(2)
            if kind == "P":
                return f"[{people[value]}][]"
            if kind == "R":
                return _ref_text(refs, def_labels, int(value))
            if kind == "F":
                origin, _, key = value.partition("\x01")
                return f"[^{foot_final[(origin, key)]}]"
            return m.group(0)  # anchors are settled after heading ids are known

        return _SENTINEL.sub(one, text)

    body = substitute(body)
    body, anchors = _heading_ids(body)

    definitions: list[tuple[str, str]] = []
    for login, label in people.items():
        definitions.append((label, f"https://github.com/{login}"))
    for key in refs.teams:
        team = refs.slate.teams.team(key)
        if team is not None:
            definitions.append((team.key, team.url))
    definitions.extend(refs.badges.items())
    seen: set[tuple[str, str]] = set()
    defined = {normalize_label(x) for x, _ in definitions}  # the labels of `definitions`, kept in step with it
    for use in refs.refs:
        d = refs.defs[(use.origin, use.key)]
        label = def_labels[d.where]
        if d.where in seen or normalize_label(label) in defined:
            continue
        seen.add(d.where)
        url = d.url + (f' "{d.title}"' if d.title else "")
        definitions.append((label, url))
        defined.add(normalize_label(label))
    definitions.sort(key=lambda item: (normalize_label(item[0]), item[0]))
    block = [f"[{label}]: {url}" for label, url in definitions]
    feet = [f"[^{foot_final[k]}]: {substitute(refs.footnotes[k])}" for k in order]

    text = body.rstrip("\n") + "\n"
    if block:
        text += "\n" + "\n".join(block) + "\n"
    if feet:
        text += "\n" + "\n\n".join(feet) + "\n"
    text = _resolve_anchors(text, anchors, refs)
    return _tidy(text)


def _heading_ids(body: str) -> tuple[str, dict[str, str]]:
    """GitHub ids of every heading in document order; markers map chapter keys to the ids of their headings."""
    counter = SlugCounter()
    anchors: dict[str, str] = {}
    lines = body.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
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
        keys = _MARKER.findall(line)
        clean = _MARKER.sub("", line)
        title = _ATX.match(clean)
        slug = counter.add(title.group(2) if title else "")
        for key in keys:
            anchors[key] = slug
        lines[i] = clean.rstrip()
    anchors["#"] = ""
    for slug in counter.ids:
        anchors.setdefault("#" + slug, slug)
    return "\n".join(lines), anchors


# A dangling anchor gets a "did you mean" from the RFC's heading ids; past this many, no more (each hint compares the
# anchor with every id: a text full of dangling anchors must not make the build quadratic).
_ANCHOR_HINTS = 64


def _resolve_anchors(text: str, anchors: dict[str, str], refs: References) -> str:
    ids = sorted({slug for slug in anchors.values() if slug})
    problems: dict[str, Problem] = {}

    def one(m: re.Match[str]) -> str:
        value = m.group(2)
        if value.startswith("#"):
            if value in anchors:
                return "#" + anchors[value]
            if value not in problems:
                problems[value] = missing_anchor(value, "the RFC", ids if len(problems) < _ANCHOR_HINTS else ())
            found = problems[value]
            refs.report("(output)", 0, Severity.WARNING, found.code, found.message, hint=found.hint, once=value)
            return value
        path, _, fragment = value.partition("#")
        if fragment and f"{path}#{fragment}" in anchors:
            return "#" + anchors[f"{path}#{fragment}"]
        return "#" + anchors.get(path, "")

    return _SENTINEL.sub(lambda m: one(m) if m.group(1) == "A" else m.group(0), text)


def _tidy(text: str) -> str:
    """No trailing whitespace, one blank line at most between blocks (outside code), one final newline."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        f = _FENCE.match(line)
        if fence is None and f:
            fence = f.group(1)
        elif fence is not None and f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
            fence = None
        line = line.rstrip()
        if fence is None and not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
