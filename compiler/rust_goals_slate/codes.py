"""Every diagnostic code slate reports, with its default severity: the one registry of codes.

`slate check --list-codes` prints it; the severity policy (`slate.toml`'s `[severity]` table, `--error`, `--warn`,
`--ignore`; see `sources/severity.py`) names codes from it; tests check that every code the sources report is here
with the severity it is reported with, and that README.md and docs/checks.md agree with it. A new code is added here,
in docs/checks.md (its row in the rules tables) and in tests/data/invalid/ (a case).

A code whose default is `OFF` is reported by the rules as a warning and dropped unless the policy turns it on.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from rust_goals_slate.records import record


class Level(enum.Enum):
    """What the policy makes of a code: an error (fails the run), a warning, or nothing."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


ERROR, WARNING, OFF = Level.ERROR, Level.WARNING, Level.OFF


@record
class Code:
    name: str
    default: Level
    summary: str
    group: str = ""


def _grouped(*entries: Code | str) -> Mapping[str, Code]:
    """The codes in documentation order; a string starts a group (a section of docs/checks.md)."""
    codes: dict[str, Code] = {}
    group = ""
    for entry in entries:
        if isinstance(entry, str):
            group = entry
        else:
            codes[entry.name] = Code(entry.name, entry.default, entry.summary, group)
    return MappingProxyType(codes)


CODES: Mapping[str, Code] = _grouped(
    "Reading the files",
    Code("invalid-utf8", ERROR, "A byte sequence that is not UTF-8"),
    Code("binary-file", ERROR, "A .md file holding NUL bytes"),
    Code("symlink-outside", ERROR, "A symbolic link that points outside SRC (or book.toml outside the root); not read"),
    Code("unreadable", ERROR, "A file that cannot be read (dangling link, not a regular file, OS error, bad name)"),
    Code("file-too-large", ERROR, "A file over 8 MiB. It is not read"),
    Code(
        "file-name", WARNING, "A goal file name a URL cannot hold as it is (an error if not UTF-8 or with a line break)"
    ),
    Code("control-character", ERROR, "A control character (ESC, BEL, …) in the text; diagnostics show it escaped"),
    Code("invisible-character", ERROR, "An invisible or bidirectional character in a table row or a handle"),
    Code("large-file", WARNING, "A file over 1 MiB. It is read and checked"),
    Code("empty-file", WARNING, "An empty Markdown file"),
    Code("unreadable-input", ERROR, "Team data that cannot be read"),
    Code("no-goals", ERROR, "The folder holds no goal file and no README.md (most likely not a period folder)"),
    Code("empty-period", WARNING, "A period folder with a README.md but no goal file yet (a period just set up)"),
    "Configuration (book.toml, rust-project-goals.toml, slate.toml)",
    Code("config-unreadable", ERROR, "The file is not UTF-8 or cannot be read"),
    Code("config-syntax", ERROR, "The file is not valid TOML"),
    Code("config-shape", ERROR, "A setting of the wrong type (`ignore_users = 5`); it is ignored"),
    Code("bad-severity", ERROR, 'A [severity] entry of slate.toml that is not "error", "warning" or "off"'),
    Code("unknown-code", WARNING, "A code named in slate.toml that slate does not know"),
    Code(
        "bad-linkifier",
        ERROR,
        "A linkifier that is not a regular expression, may backtrack without bound, or names a group its pattern lacks",
    ),
    Code("bad-ask-kind", ERROR, "An ask kind that is not a { short, about, elide } table"),
    Code("dead-link-template", WARNING, "A linkifier template with a GitHub /issue/ path (spec 4.14)"),
    Code("goals-repository-url", WARNING, "book.toml's git-repository-url is not a GitHub repository URL"),
    "Markdown structure",
    Code("extra-cells", WARNING, "A table row with more cells than its header"),
    Code("glued-table", WARNING, "A table glued to the paragraph or list item before it (no blank line)"),
    Code("split-table", WARNING, "|…| lines right after a table and a blank line"),
    Code("folded-definition", WARNING, "A link definition folded into the block above it (no blank line before it)"),
    Code("heading-jump", WARNING, "A heading more than one level below the heading before it"),
    Code("text-before-title", WARNING, "Text before a chapter's title, which is kept in the RFC"),
    "Metadata",
    Code("unknown-metadata-key", WARNING, "An unknown or misspelt key"),
    Code("champion-row-without-champion", WARNING, "[team] written as a key without the word champion"),
    Code("missing-status", ERROR, "A goal without a Status"),
    Code("unknown-status", ERROR, "A status outside the known list"),
    Code("missing-point-of-contact", ERROR, "A slate goal without a contact (Contact, or Point of contact)"),
    Code("template-text", WARNING, "A people field that still holds the template's italic placeholder"),
    Code("malformed-tracking-issue", WARNING, "A tracking issue that is not [org/repo#N]"),
    Code("tracking-issue-repository", WARNING, "A tracking issue outside the goals repository"),
    Code("missing-tracking-issue", WARNING, "An Accepted goal without a tracking issue (from 2025h1 on)"),
    Code("unknown-need", WARNING, "A Needs value other than Contributor or Funding"),
    Code("funding-value", WARNING, "A funding cost or funded value outside the known forms"),
    Code("roadmap-without-title", ERROR, "A roadmap file without a heading"),
    Code("roadmap-without-metadata", ERROR, "A roadmap file without its metadata table"),
    Code("roadmap-missing-key", WARNING, "Roadmap metadata without Short title, What and why, or Contact"),
    Code("area-without-metadata", WARNING, "An area-*.md page without a metadata table"),
    "Team asks and champions",
    Code("unknown-team", ERROR, "An ask or a champion row naming a team that does not exist"),
    Code("archived-team", WARNING, "An ask or champion row naming an archived team (reported once per build)"),
    Code("team-spelling", WARNING, "A team written differently from its key, such as [Cargo] for cargo"),
    Code("unknown-support-level", ERROR, "A support level other than Small, Medium or Large (Vibes became Small)"),
    Code("blank-support-level", WARNING, "An ask row with notes but no support level"),
    Code("bad-ask-header", ERROR, "A table under Team asks whose header is not Team | Support level | Notes"),
    Code("missing-team-asks", ERROR, "A goal without team asks"),
    Code("both-ask-formats", ERROR, "Both Team asks and Ownership and team asks sections"),
    Code("missing-size", ERROR, "A slate goal (profile C) without any sized ask"),
    Code("unknown-ask-kind", ERROR, "An old-format ask whose task names no configured ask kind"),
    Code("unexpected-table", WARNING, "Another table inside Ownership and team asks"),
    Code("ask-without-team", WARNING, "An old-format row with the ![Team] badge and no team"),
    Code("duplicate-champion-team", ERROR, "A second champion row for one team"),
    Code("champion-without-ask", WARNING, "A champion for a team that has no ask in the goal"),
    Code("missing-champion", WARNING, "A Medium or Large ask without a champion of that team"),
    Code("several-points-of-contact", ERROR, "A Contact (or Point of contact) naming more than one person"),
    Code("key-spelling", WARNING, "The contact key spelt Contact in some rows and Point of contact in others"),
    Code("second-asks-table", ERROR, "A second team-asks table in the same section or subsection"),
    Code("extra-cells-ask", ERROR, "A team-asks row with more cells than the header"),
    Code(
        "funding-table-header",
        ERROR,
        "A Funding section whose first table is not headed Purpose | Cost | Funded | Sponsor(s)",
    ),
    Code("help-wanted-table-header", ERROR, "A Help wanted section whose first table has the wrong header"),
    "People",
    Code(
        "unknown-handle",
        WARNING,
        "A handle that is most likely a typo of one in the team data, or a team written as a person",
    ),
    Code("unlisted-handle", OFF, "A well-formed handle that is not in the team data (people outside the Rust teams)"),
    Code("handle-spelling", WARNING, "One person spelt two ways anywhere: people fields, champion rows or prose"),
    "The goal set and the names that must match",
    Code("duplicate-title", WARNING, "Two goals with one title, compared without case or markup"),
    Code("duplicate-slug", WARNING, "Two goal files with one file name, such as alpha.md and more/alpha.md"),
    Code("unknown-roadmap", ERROR, "A Roadmap or Flagship theme, or a ROADMAP ROWS argument, that names no roadmap"),
    Code("unknown-flagship-theme", WARNING, "A Flagship or Roadmap theme that no FLAGSHIP GOALS directive names"),
    Code("unknown-highlight", WARNING, "A Highlight that no HIGHLIGHT directive names"),
    Code("area-spelling", WARNING, "An application area spelt differently from its page, or from its first roadmap"),
    Code("unused-area", WARNING, "An area page that no roadmap names"),
    Code("unknown-area", WARNING, "ROADMAPS: X, where X names no area"),
    "Directives, header and prose of the RFC",
    Code("unknown-directive", ERROR, "(((NAME))) with an unknown name"),
    Code("block-directive-inline", ERROR, "A block directive inside a sentence"),
    Code("directive-needs-argument", ERROR, "HIGHLIGHT TABLE, HIGHLIGHT GOALS or GOALS WITH NEEDS without an argument"),
    Code("roadmap-rows-outside-table", ERROR, "ROADMAP ROWS outside a table row"),
    Code("missing-chapter", ERROR, "A chapter linked from the README that does not exist"),
    Code("empty-directive", WARNING, "A directive that selects no goal"),
    Code("empty-highlight", WARNING, "A HIGHLIGHT directive that no goal names"),
    Code("reports-need-network", WARNING, "REPORTS needs network access"),
    Code(
        "no-valid-team-asks-anchor",
        WARNING,
        "Old-format team tables, and no [valid_team_asks] definition in the README",
    ),
    Code("header-placeholder", WARNING, "A header value with 0000, fill me in, YYYY-MM-DD or NNNN"),
    Code("header-missing", WARNING, "An empty RFC PR or Start Date, with no option to fill it"),
    Code("count-placeholder", WARNING, "NN in the prose"),
    Code("count-mismatch", WARNING, "A count written in the prose that disagrees with the slate"),
    "Links and references",
    Code("missing-link-target", WARNING, "A relative .md link to a file of the period that does not exist"),
    Code("link-outside-root", WARNING, "A ../ link that leaves the input root"),
    Code("relative-link", WARNING, "In the RFC's text, a relative link that is not a source file"),
    Code("url-in-url", WARNING, "A URL glued onto a base URL (web archives excepted)"),
    Code("undefined-reference", WARNING, "[text][label], where the file does not define the label"),
    Code(
        "unresolved-reference",
        WARNING,
        "[x][] or a label-like [x] that matches no definition, badge, team or linkifier",
    ),
    Code("undefined-footnote", WARNING, "[^x] without a definition in the file"),
    Code("missing-anchor", WARNING, "#x, or file.md#x, matching no heading"),
    Code("renamed-definition", WARNING, "One label with two targets"),
    "Writing the outputs",
    Code("pdf-failed", ERROR, "pandoc or Typst failed while writing rfc.pdf (slate build only)"),
)
