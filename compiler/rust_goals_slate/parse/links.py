"""The one link resolver: what a link destination, a reference or a footnote of a file resolves to.

Definitions, badges, teams and linkifiers for references; files, anchors and absolute URLs for destinations. Each
answer carries the problem when there is one, with the one message of its code: `rust_goals_slate.validate.links`
reports them for every file, and the render stage formats what they resolve to (it reports only what needs the
assembled RFC: `relative-link` in lifted text, renamed definitions, in-document anchors).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rust_goals_slate.model import Slate, normalize_label
from rust_goals_slate.parse.inline import URL_SCHEME, embeds_url

_LABELISH = re.compile(r"[A-Za-z0-9_.#/@-]+(?: [A-Za-z0-9_.#/@-]+){0,3}")
_SECOND_URL = re.compile(r"https?:/")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a link, as a diagnostic says it (the caller gives the location and the severity)."""

    code: str
    message: str
    hint: str | None = None


class Destination(NamedTuple):
    """A link destination resolved from the file it is written in (a named tuple, as `inline.Span`: one is made for
    every link of every file, and a frozen dataclass sets each field through `object.__setattr__`).

    `kind` is 'url' (absolute, or empty: `href` is what to link to), 'anchor' (`#x` in the same file: `fragment`),
    'file' (a Markdown file of the tree: `href` is its path), 'outside' (a path that leaves the input root) or 'other'
    (a relative path to something that is not Markdown: left to the website).
    """

    kind: str
    raw: str
    href: str = ""
    fragment: str = ""
    problem: Problem | None = None
    site_page: bool = False  # written as the `.html` page of a source file


def destination(slate: Slate, origin: str, dest: str) -> Destination:
    raw = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
    if not raw or URL_SCHEME.match(raw) or raw.startswith("//"):
        if embeds_url(raw):
            # A base URL glued onto an absolute one (README.md:13 of 2025h1): the embedded URL is the target.
            second = _SECOND_URL.search(raw, 8)
            inner = raw[second.start() :] if second else raw
            problem = Problem("url-in-url", f"link '{raw}' embeds a second URL", f"link to '{inner}' directly")
            return Destination("url", raw, inner, problem=problem)
        return Destination("url", raw, dest)
    if raw.startswith("#"):
        return Destination("anchor", raw, fragment=raw[1:])
    path, _, fragment = raw.partition("#")
    site_page = False
    if path.endswith(".html"):
        source = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path[:-5] + ".md"))
        if source in slate.documents:
            path, site_page = path[:-5] + ".md", True  # a site page of a source file: resolved like the file
    if not path.endswith(".md"):
        return Destination("other", raw)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path))
    if target.startswith("../") or target == "..":
        problem = Problem("link-outside-root", f"link '{raw}' leaves the input root; it is left as written")
        return Destination("outside", raw, problem=problem)
    missing = None
    if target not in slate.documents and target.startswith(slate.src_dir + "/"):
        missing = Problem("missing-link-target", f"link '{raw}' points to {target}, which does not exist")
    return Destination("file", raw, target, fragment, missing, site_page)


def relative_link(found: Destination) -> Problem | None:
    """A relative link that cannot work outside the website (a site page, or a file that is not Markdown)."""
    if found.site_page:
        return Problem(
            "relative-link",
            f"relative link '{found.raw}' names a site page; the RFC links to the page of {found.href}",
            hint=f"link to the source file: '{found.raw.partition('#')[0][:-5]}.md'",
        )
    if found.kind == "other":
        return Problem(
            "relative-link",
            f"relative link '{found.raw}' does not name a Markdown source file; it is left as written",
            hint="use a path to the .md file, or an absolute URL",
        )
    return None


def missing_anchor(raw: str, where: str, ids: Sequence[str] | set[str]) -> Problem:
    """`raw` (`#x` or `file.md#x`) names no heading id of `where` (a file, or the RFC)."""
    return Problem("missing-anchor", f"link '{raw}' matches no heading of {where}", anchor_hint(raw, ids))


def anchor_hint(raw: str, ids: Sequence[str] | set[str]) -> str | None:
    """The hint "did you mean '#x'?" with the heading id closest to a dangling anchor, if one is close."""
    close = difflib.get_close_matches(raw.partition("#")[2], sorted(ids), 1, 0.6)
    return f"did you mean '#{close[0]}'?" if close else None


class Reference(NamedTuple):
    """A reference (`[text][ref]`, `[ref][]`, `[ref]`, images alike) resolved from the file it is written in (a
    named tuple, as `Destination`).

    `kind` is 'definition' (`source` is the file whose definition it uses), 'folded' (its definition is folded into
    the block above it: reported as `folded-definition`), 'badge' (`source` is the badge's configured name), 'team',
    'linkifier' (`url`), 'text' (brackets in prose: `[optional]`, `[1, 2]`, a task box, `[@person]`)
    or 'unresolved' (with its problem).
    """

    kind: str
    key: str
    form: str  # 'full', 'collapsed', 'shortcut'
    source: str = ""
    url: str = ""  # of a badge or a linkifier
    problem: Problem | None = None


def reference_form(label: str, ref: str | None) -> tuple[str, str]:
    """The form ('full', 'collapsed', 'shortcut') of a reference and the normalised label it looks up."""
    form = "shortcut" if ref is None else ("collapsed" if ref == "" else "full")
    return form, normalize_label(label if ref in (None, "") else ref)


def reference(
    slate: Slate,
    files: Sequence[str],
    piece: str,
    label: str,
    ref: str | None,
    image: bool,
    *,
    explain: bool = True,
) -> Reference:
    """`piece` as written in `files[0]`; its definitions are looked for in `files`, in order (the README and its
    chapters share theirs in the RFC). Without `explain`, a problem comes without its hint (the closest names: only
    worth working out when it is reported)."""
    form, key = reference_form(label, ref)
    for path in files:
        doc = slate.documents.get(path)
        if doc is not None and doc.link_def(key) is not None:
            return Reference("definition", key, form, path)
    origin = slate.documents.get(files[0]) if files else None
    if origin is not None and origin.folded_def(key) is not None:
        return Reference("folded", key, form)
    if form == "full":
        message = f"reference '[{ref}]' is not defined in {files[0]}; it is left as text"
        problem = Problem("undefined-reference", message, _def_hint(slate, files, ref or "") if explain else None)
        return Reference("unresolved", key, form, problem=problem)
    for name, url in slate.config.badges:
        if normalize_label(name) == key:
            return Reference("badge", key, form, name, url)
    team = slate.teams.team(key) if not image else None
    if team is not None:
        return Reference("team", key, form, team.key)
    bare = label.strip()
    if form == "shortcut":
        found = slate.config.linkify(bare) if not image else None
        if found is not None:
            return Reference("linkifier", key, form, url=expand_template(*found))
        if not _LABELISH.fullmatch(bare) or bare.isdigit() or bare in ("x", "X") or bare.startswith("@"):
            return Reference("text", key, form)
    message = f"'{piece}' matches no definition, badge, team or linkifier; it is left as text"
    problem = Problem("unresolved-reference", message, _ref_hint(slate, files, bare, image, form) if explain else None)
    return Reference("unresolved", key, form, problem=problem)


def footnote_problem(origin: str, label: str) -> Problem:
    return Problem(
        "undefined-footnote", f"footnote '[^{label}]' is not defined in {origin}", f"add `[^{label}]: …` to the file"
    )


def expand_template(template: str, match: re.Match[str]) -> str:
    """A book.toml linkifier template: `$1`, `$2`, … are the groups of the pattern's match."""
    return re.sub(r"\$(\d+)", lambda g: match.group(int(g.group(1))) or "", template)


def linkifier_form(label: str, slate: Slate) -> str | None:
    """`rust-lang/rustc-dev-guide#2663` for `[rustc-dev-guide#2663]`: the label with the owner the slate's linkifiers
    expect (the goals repository's owner, or rust-lang), when a linkifier then matches it."""
    if "#" not in label or "/" in label:
        return None
    owners = dict.fromkeys((slate.config.goals_repository.split("/", 1)[0], "rust-lang"))
    for owner in owners:
        candidate = f"{owner}/{label.strip()}"
        if any(re.fullmatch(pattern, candidate) for pattern, _ in slate.config.linkifiers):
            return candidate
    return None


def _labels(slate: Slate, files: Sequence[str]) -> dict[str, str]:
    """The definitions of `files` by key (the first file's first), with their labels as written."""
    labels: dict[str, str] = {}
    for path in reversed(files):
        doc = slate.documents.get(path)
        labels |= {d.key: d.label for d in doc.link_defs} if doc else {}
    return labels


def _def_hint(slate: Slate, files: Sequence[str], ref: str) -> str:
    """The definition closest to an undefined `[text][ref]` (`typeid-poly-orig` for `typeid-poly`)."""
    labels = _labels(slate, files)
    close = difflib.get_close_matches(normalize_label(ref), sorted(labels), 1, 0.6)
    if close:
        return f"did you mean '[{labels[close[0]]}]', defined in this file?"
    return f"add a definition `[{ref}]: https://…` to the file"


def _ref_hint(slate: Slate, files: Sequence[str], label: str, image: bool, form: str) -> str:
    """A linkifier form of the label, else the closest badge (for images), team or definition, else how to
    define it."""
    linkified = None if image or form != "shortcut" else linkifier_form(label, slate)
    if linkified is not None:
        return f"did you mean '[{linkified}]'? (the linkifier form, which keeps the issue number)"
    names = {normalize_label(n): n for n, _ in slate.config.badges} if image else {}
    if not image:
        names |= {k: k for k in slate.teams.teams}
        names |= _labels(slate, files)
    close = difflib.get_close_matches(label.casefold(), sorted(names), 1, 0.75)
    if close:
        written = f"{'!' if image else ''}[{names[close[0]]}]{'[]' if form == 'collapsed' else ''}"
        return f"did you mean '{written}'?"
    return "define it in the file (`[label]: https://…`), or check the spelling"
