"""Links, references and footnotes of one file, and the `@handle`s of its text, in one scan of each text block.

Used by `rust_goals_slate.validate.text` for every file, the README and its chapters included; what a link resolves
to, and the message of each problem, come from the one resolver, `rust_goals_slate.parse.links`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rust_goals_slate.errors import Diagnostic, Location, Severity
from rust_goals_slate.model import Block, Document, Handle, Slate, normalize_label
from rust_goals_slate.parse.inline import find_handles, mdbook_id, scan
from rust_goals_slate.parse.links import (
    Problem,
    destination,
    footnote_problem,
    missing_anchor,
    reference,
    reference_form,
)
from rust_goals_slate.parse.metadata import is_metadata, norm_key
from rust_goals_slate.records import record
from rust_goals_slate.validate.base import text_blocks

_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
# What every explicit id holds (`="` or `='`): searched first, since `_HTML_ID`, which starts with `\b`, is tried at
# every position of the text (~110 M instructions over the files of a period; few files hold an attribute at all).
_ATTRIBUTE = re.compile(r"""=\s*["']""")
# An undefined label gets a "did you mean" from the closest names; past this many in a file, no more (each hint compares
# the label with every team and definition: a file full of undefined labels must not make the check quadratic).
_HINTS = 64
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_NOT_LINKS = ("code", "html", "autolink")


def _team_column(block: Block) -> int | None:
    """The column of a table whose cells name teams (metadata keys, ask teams, ask owners), if it has one.

    Those brackets are team names, checked by the team rules; as references they would be reported twice.
    """
    table = block.table
    assert table is not None
    header = [norm_key(c) for c in table.header[:2]]
    if is_metadata(block) or header == ["team", "support level"]:
        return 0
    if header in (["task", "owner(s) or team(s)"], ["subgoal", "owner(s) or team(s)"]):
        return 1
    return None


def _in_column(text: str, offset: int, column: int) -> bool:
    """Whether `offset` of a table's text is in cell `column` of its row (cells end at unescaped pipes; a row's
    leading pipe opens its first cell). Only the offset's own line is read, so a long table stays linear."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else len(text)]
    pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(line)]
    first = 0
    if line.lstrip().startswith("|"):
        pipes = pipes[1:]
        first = line.index("|") + 1
    if column > len(pipes):
        return False
    cell_start = pipes[column - 1] + 1 if column else first
    cell_end = pipes[column] if column < len(pipes) else len(line)
    return cell_start <= offset - start < cell_end


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
    if _ATTRIBUTE.search(doc.text):
        ids.update(_HTML_ID.findall(doc.text))
    return ids


@record
class FileScan:
    """What the scan of one file found: its link problems, the first `@handle` of each spelling in its text (the
    name rules compare spellings at their first place), and the definitions (file, key) of the README and its
    chapters that its references use (the RFC holds those)."""

    diagnostics: tuple[Diagnostic, ...]
    handles: tuple[Handle, ...]
    used: frozenset[tuple[str, str]]


class LinkChecker:
    """Links, references and footnotes of one file, resolved by `rust_goals_slate.parse.links`; each undefined label
    is reported once, at its first use.

    `in_rfc` are the README and the chapters it inlines when the file is one of them: they are one document in the
    RFC, so their definitions serve each other, and their `#x` anchors are checked against the RFC's headings by the
    render stage. Their definitions are checked where a reference uses them (`used`, by file and key): the RFC holds
    only those. Blocks before `body` (the README's header, which the RFC's header replaces) are scanned for handles
    only; links to the README's chapters are the chapter rules' (`missing-chapter`). `ids`, the heading ids of each
    target file by path, may be shared by the checkers of one validation: each file's are then worked out once.
    """

    def __init__(
        self,
        slate: Slate,
        doc: Document,
        in_rfc: Sequence[str] = (),
        body: int = 0,
        ids: dict[str, set[str]] | None = None,
    ) -> None:
        self.slate = slate
        self.doc = doc
        self.handles: list[Handle] = []  # what `run` found, returned in its FileScan
        self.spellings: set[str] = set()  # of the handles found so far
        self.files = [doc.path, *(p for p in in_rfc if p != doc.path)]
        self.in_rfc = bool(in_rfc)
        self.chapters = frozenset(in_rfc[1:])
        self.used: set[tuple[str, str]] = set()
        self.body = doc.blocks[body].start if body < len(doc.blocks) else len(doc.text)  # links before: not in the RFC
        self.feet = {d.key for d in doc.footnote_defs}
        self.ids: dict[str, set[str]] = ids if ids is not None else {}
        self.seen_refs: set[tuple[str, str, bool]] = set()

    def ids_of(self, path: str) -> set[str]:
        if path not in self.ids:
            target = self.slate.documents.get(path)
            self.ids[path] = heading_ids(target) if target is not None else set()
        return self.ids[path]

    def run(self) -> FileScan:
        """One scan of every text block: its problems, its `@handle`s and the definitions its references use."""
        problems = list(self._problems())
        return FileScan(tuple(problems), tuple(self.handles), frozenset(self.used))

    def _problems(self) -> Iterator[Diagnostic]:
        doc = self.doc
        for block, text in text_blocks(doc):
            mentions = "@" in text
            links = block.start >= self.body
            if not mentions and not (links and "[" in text):
                continue
            teams = _team_column(block) if links and block.table is not None else None
            for span in scan(text, texts=mentions):
                if span.kind == "text":
                    if mentions and text.find("@", span.start, span.end) >= 0:
                        self.mentions(block, text, span.start, span.end)
                    continue
                if not links or span.kind in _NOT_LINKS:
                    continue
                if teams is not None and _in_column(text, span.start, teams):
                    continue
                at = block.start + span.start
                problem: Problem | None = None
                if span.kind in ("link", "image"):
                    problem = self.dest(span.dest)
                elif span.kind == "ref":
                    problem = self.ref(text[span.start : span.end], span.label, span.ref, span.image)
                elif span.kind == "footnote":
                    key = normalize_label(span.label)
                    if key not in self.feet and ("^", key, False) not in self.seen_refs:
                        self.seen_refs.add(("^", key, False))
                        problem = footnote_problem(doc.path, span.label)
                if problem is not None:
                    yield self.report(at, problem)
        for d in doc.link_defs if not self.in_rfc else ():
            problem = self.dest(d.url)
            if problem is not None:
                yield self.report(d.start, problem)

    def report(self, at: int, problem: Problem) -> Diagnostic:
        return self.doc.diagnostic(self.doc.line_of(at), Severity.WARNING, problem.code, problem.message, problem.hint)

    def definition(self, key: str) -> Diagnostic | None:
        """The problem of the destination of this file's definition of `key`, if any."""
        d = self.doc.link_def(key)
        problem = self.dest(d.url) if d is not None else None
        return self.report(d.start, problem) if d is not None and problem is not None else None

    def mentions(self, block: Block, text: str, start: int, end: int) -> None:
        """The `@handle`s in the text node `text[start:end]` not yet seen in this file, as spelt."""
        for m in find_handles(text[start:end]):
            login = m.group(1)
            if login not in self.spellings:
                self.spellings.add(login)
                line = self.doc.line_of(block.start + start + m.start())
                self.handles.append(Handle(login, Location(self.doc.path, line, 1)))

    def dest(self, dest: str) -> Problem | None:
        found = destination(self.slate, self.doc.path, dest)
        if found.problem is not None and not (found.kind == "file" and found.href in self.chapters):
            return found.problem
        if found.kind == "anchor" and not self.in_rfc:
            target = self.doc.path  # in the README and its chapters, the RFC's anchors: the render stage checks them
        elif found.kind == "file" and self.in_rfc and found.href in self.chapters:
            return None  # inlined: the link becomes an anchor of the RFC
        elif found.kind == "file" and found.href in self.slate.documents and not found.site_page:
            target = found.href
        else:
            return None
        if found.fragment and found.fragment not in self.ids_of(target):
            return missing_anchor(found.raw, target, self.ids_of(target))
        return None

    def ref(self, piece: str, label: str, ref: str | None, image: bool) -> Problem | None:
        form, key = reference_form(label, ref)
        first = (form, key, image) not in self.seen_refs  # an undefined label is reported at its first use only
        explain = first and len(self.seen_refs) < _HINTS
        found = reference(self.slate, self.files, piece, label, ref, image, explain=explain)
        if found.kind == "definition" and self.in_rfc:
            self.used.add((found.source, found.key))
        if found.problem is None or not first:
            return None
        self.seen_refs.add((form, key, image))
        return found.problem


_FOLDED_INTO = {
    "table": "the table above it, as a row",
    "list": "the list item above it",
    "quote": "the quote above it",
}


def folded_into(doc: Document, offset: int) -> str:
    """What a folded definition (`Document.folded_defs`) is folded into, for messages."""
    block = next((b for b in doc.blocks if b.start <= offset < b.end), None)
    return _FOLDED_INTO.get(block.kind if block else "", "the paragraph above it")
