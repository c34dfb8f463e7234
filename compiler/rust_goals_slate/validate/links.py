"""Links, references and footnotes of one file, and the `@handle`s of its text, in one scan of each text block.

Used by `rust_goals_slate.validate.text` for every file. The README and its chapters are scanned for handles only: the
render stage resolves their links and references across the whole document.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterator

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Block, Document, Handle, Slate, normalize_label
from rust_goals_slate.parse.inline import URL_SCHEME, embeds_url, find_handles, mdbook_id, scan
from rust_goals_slate.parse.metadata import is_metadata, norm_key
from rust_goals_slate.validate.base import linkifier_form, text_blocks

_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
_LABELISH = re.compile(r"[A-Za-z0-9_.#/@-]+(?: [A-Za-z0-9_.#/@-]+){0,3}")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _mask_team_cells(block: Block, text: str) -> str:
    """The table's text with the cells that name teams (metadata keys, ask teams, ask owners) blanked out.

    Those brackets are team names, checked by the team rules; as references they would be reported twice.
    """
    table = block.table
    assert table is not None
    header = [norm_key(c) for c in table.header]
    if is_metadata(block) or header[:2] == ["team", "support level"]:
        column = 0
    elif header[:2] in (["task", "owner(s) or team(s)"], ["subgoal", "owner(s) or team(s)"]):
        column = 1
    else:
        return text
    out = []
    for line in text.split("\n"):
        pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(line)]
        if line.lstrip().startswith("|"):
            pipes = pipes[1:]
            start = line.index("|") + 1
        else:
            start = 0
        bounds = [start, *(p + 1 for p in pipes)]
        if column < len(bounds):
            a = bounds[column]
            b = pipes[column] if column < len(pipes) else len(line)
            line = line[:a] + " " * (b - a) + line[b:]
        out.append(line)
    return "\n".join(out)


def heading_ids(doc: Document) -> set[str]:
    """mdBook's ids of the headings of a page (with its `-1`, `-2` for repeats), and explicit HTML ids."""
    ids: set[str] = set()
    for block in doc.blocks:
        if block.is_heading:
            base = mdbook_id(block.title)
            slug, n = base, 0
            while slug in ids:
                n += 1
                slug = f"{base}-{n}"
            ids.add(slug)
    ids.update(_HTML_ID.findall(doc.text))
    return ids


class LinkChecker:
    """Links, references and footnotes of one file; each undefined label is reported once, at its first use."""

    def __init__(self, slate: Slate, doc: Document, handles: list[Handle]) -> None:
        self.slate = slate
        self.doc = doc
        self.handles = handles
        self.defs = {d.key for d in doc.link_defs}
        self.feet = {d.key for d in doc.footnote_defs}
        self.badges = {normalize_label(name) for name, _ in slate.config.badges}
        self.ids: dict[str, set[str]] = {}
        self.seen_refs: set[tuple[str, str, bool]] = set()

    def ids_of(self, path: str) -> set[str]:
        if path not in self.ids:
            target = self.slate.documents.get(path)
            self.ids[path] = heading_ids(target) if target is not None else set()
        return self.ids[path]

    def run(self, *, links: bool) -> Iterator[Diagnostic]:
        """One scan of every text block: handles always, links and references when `links`."""
        doc = self.doc
        for block, text in text_blocks(doc):
            mentions = "@" in text
            if not mentions and not (links and "[" in text):
                continue
            masked = _mask_team_cells(block, text) if links and block.table is not None else text
            if masked is not text and mentions:
                self.mentions(block, text)
                mentions = False
            for span in scan(masked):
                at = block.start + span.start
                found: Diagnostic | None = None
                if span.kind == "text":
                    if mentions:
                        self.mentions(block, text, span.start, span.end)
                elif not links:
                    continue
                elif span.kind in ("link", "image"):
                    found = self.dest(span.dest, at)
                elif span.kind == "ref":
                    found = self.ref(text[span.start : span.end], span.label, span.ref, span.image, at)
                elif span.kind == "footnote":
                    key = normalize_label(span.label)
                    if key not in self.feet and ("^", key, False) not in self.seen_refs:
                        self.seen_refs.add(("^", key, False))
                        found = doc.diagnostic(
                            doc.line_of(at),
                            Severity.WARNING,
                            "undefined-footnote",
                            f"footnote '[^{span.label}]' is not defined in {doc.path}",
                            hint=f"add `[^{span.label}]: …` to the file",
                        )
                if found is not None:
                    yield found
        for d in doc.link_defs if links else ():
            found = self.dest(d.url, d.start)
            if found is not None:
                yield found

    def mentions(self, block: Block, text: str, start: int = 0, end: int | None = None) -> None:
        """The `@handle`s in the text nodes of `text[start:end]`."""
        piece = text[start:end]
        spans = [(0, len(piece))] if end is not None else [(x.start, x.end) for x in scan(piece) if x.kind == "text"]
        for a, b in spans:
            for m in find_handles(piece[a:b]):
                line = self.doc.line_of(block.start + start + a + m.start())
                self.handles.append(Handle(m.group(1), Location(self.doc.path, line, 1)))

    def dest(self, dest: str, at: int) -> Diagnostic | None:
        doc, slate = self.doc, self.slate
        raw = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else dest
        if not raw or URL_SCHEME.match(raw) or raw.startswith("//"):
            if embeds_url(raw):
                second = re.search(r"https?:/", raw[8:])
                inner = raw[second.start() + 8 :] if second else raw
                return doc.diagnostic(
                    doc.line_of(at),
                    Severity.WARNING,
                    "url-in-url",
                    f"link '{raw}' embeds a second URL",
                    hint=f"link to '{inner}' directly",
                )
            return None
        path, _, fragment = raw.partition("#")
        if not path:
            ids = self.ids_of(doc.path)
            if fragment and fragment not in ids:
                return doc.diagnostic(
                    doc.line_of(at),
                    Severity.WARNING,
                    "missing-anchor",
                    f"link '{raw}' matches no heading of {doc.path}",
                    hint=anchor_hint(fragment, ids),
                )
            return None
        if not path.endswith(".md"):
            return None  # images and other files are served by the website; only .md links are rewritten
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
        if target.startswith("../") or target == "..":
            return doc.diagnostic(
                doc.line_of(at),
                Severity.WARNING,
                "link-outside-root",
                f"link '{raw}' leaves the input root; it is left as written",
            )
        if target not in slate.documents:
            if target.startswith(slate.src_dir + "/"):
                return doc.diagnostic(
                    doc.line_of(at),
                    Severity.WARNING,
                    "missing-link-target",
                    f"link '{raw}' points to {target}, which does not exist",
                )
            return None
        if fragment and fragment not in self.ids_of(target):
            return doc.diagnostic(
                doc.line_of(at),
                Severity.WARNING,
                "missing-anchor",
                f"link '{raw}' matches no heading of {target}",
                hint=anchor_hint(fragment, self.ids_of(target)),
            )
        return None

    def ref(self, piece: str, label: str, ref: str | None, image: bool, at: int) -> Diagnostic | None:
        form = "shortcut" if ref is None else ("collapsed" if ref == "" else "full")
        key = normalize_label(label if ref in (None, "") else ref)
        if key in self.defs or (form, key, image) in self.seen_refs:
            return None
        doc = self.doc
        if doc.folded_def(key) is not None:
            return None  # its definition is folded into the block above it: reported as `folded-definition`
        self.seen_refs.add((form, key, image))
        if form == "full":
            return doc.diagnostic(
                doc.line_of(at),
                Severity.WARNING,
                "undefined-reference",
                f"reference '[{ref}]' is not defined in {doc.path}; it is left as text",
                hint=self.definition_hint(ref or ""),
            )
        if key in self.badges or (not image and self.slate.teams.team(key) is not None):
            return None
        bare = label.strip()
        if form == "shortcut":
            if not image and self.slate.config.linkify(bare) is not None:
                return None
            if not _LABELISH.fullmatch(bare) or bare.isdigit() or bare in ("x", "X") or bare.startswith("@"):
                return None  # brackets in prose (`[optional]`, `[1, 2]`), a task-list box, a person
        return doc.diagnostic(
            doc.line_of(at),
            Severity.WARNING,
            "unresolved-reference",
            f"'{piece}' matches no definition, badge, team or linkifier; it is left as text",
            hint=self.ref_hint(bare, image, form),
        )

    def definition_hint(self, ref: str) -> str:
        """The file's definition closest to an undefined `[text][ref]` (`typeid-poly-orig` for `typeid-poly`)."""
        labels = {d.key: d.label for d in self.doc.link_defs}
        close = difflib.get_close_matches(normalize_label(ref), sorted(labels), 1, 0.6)
        if close:
            return f"did you mean '[{labels[close[0]]}]', defined in this file?"
        return f"add a definition `[{ref}]: https://…` to the file"

    def ref_hint(self, label: str, image: bool, form: str) -> str:
        """A linkifier form of the label, else the closest badge (for images), team or definition of the file,
        else how to define it."""
        linkified = None if image or form != "shortcut" else linkifier_form(label, self.slate)
        if linkified is not None:
            return f"did you mean '[{linkified}]'? (the linkifier form, which keeps the issue number)"
        names = {normalize_label(n): n for n, _ in self.slate.config.badges} if image else {}
        if not image:
            names |= {k: k for k in self.slate.teams.teams}
            names |= {d.key: d.label for d in self.doc.link_defs}
        close = difflib.get_close_matches(label.casefold(), sorted(names), 1, 0.75)
        if close:
            written = f"{'!' if image else ''}[{names[close[0]]}]{'[]' if form == 'collapsed' else ''}"
            return f"did you mean '{written}'?"
        return "define it in the file (`[label]: https://…`), or check the spelling"


_FOLDED_INTO = {
    "table": "the table above it, as a row",
    "list": "the list item above it",
    "quote": "the quote above it",
}


def folded_into(doc: Document, offset: int) -> str:
    """What a folded definition (`Document.folded_defs`) is folded into, for messages."""
    block = next((b for b in doc.blocks if b.start <= offset < b.end), None)
    return _FOLDED_INTO.get(block.kind if block else "", "the paragraph above it")


def anchor_hint(fragment: str, ids: set[str] | list[str]) -> str | None:
    """The hint "did you mean '#x'?" with the heading id closest to a dangling anchor, if one is close."""
    close = difflib.get_close_matches(fragment, sorted(ids), 1, 0.6)
    return f"did you mean '#{close[0]}'?" if close else None
