"""What slate knows of the goals repository's format as it changed, each fact with the date it appeared.

The goals repository (rust-lang/goals, formerly rust-project-goals) renames keys and levels and adds directives;
a slate of any period, from any commit, must still read. The facts live here, as data, and nowhere else:
`docs/repository-format.md` lists them with their dates (a test checks that it lists every one of them).

Dates are those of the goals repository's main branch: the first commit whose goal files wrote a spelling, or
the merge of the pull request that made the change (the commit or pull request is named in `source`).
"""

from __future__ import annotations

from rust_goals_slate.records import record


@record
class Fact:
    """One way the repository writes something (a key, a directive, a file name, a layout), and since when."""

    text: str  # as the repository writes it, e.g. 'Point of contact'
    since: str | None  # YYYY-MM-DD; None: slate's own alias, never written in the repository
    source: str  # the commit or pull request that first wrote it
    until: str | None = None  # YYYY-MM-DD of the change that stopped writing it, if it was replaced


@record
class MetadataKey:
    """A key of the metadata tables: the name the model uses and every spelling that means it."""

    name: str  # canonical, lower case: what MetadataRow.key holds
    spellings: tuple[Fact, ...]  # oldest first


CONTACT = "point of contact"  # the key of the goal's (and roadmap's) one contact, however it is spelt

METADATA_KEYS: tuple[MetadataKey, ...] = (
    MetadataKey(CONTACT, (
        Fact("Point of contact", "2024-12-19", "goals d88af32 (#200)", until="2026-08-25"),
        Fact("Contact", "2026-08-25", "rust-lang/goals#766 and #767"),
    )),
    MetadataKey("owners", (
        Fact("Owner(s)", "2024-04-11", "goals 07b0b89", until="2024-12-19"),
        Fact("Owner", None, "slate"),
        Fact("Owners", None, "slate"),
    )),
    MetadataKey("status", (Fact("Status", "2024-04-12", "goals 28336e4"),)),
    MetadataKey("short title", (Fact("Short title", "2024-07-08", "goals 99588a2"),)),
    MetadataKey("tracking issue", (Fact("Tracking issue", "2024-09-16", "goals fc6b535"),)),
    MetadataKey("other tracking issues", (
        Fact("See also", "2024-10-15", "goals e905dc0"),
        Fact("Other tracking issues", "2024-10-15", "goals 48672e7"),
        Fact("Zulip channel", "2025-01-15", "goals c75f6e9"),
        Fact("Other tracking issue(s)", "2026-02-28", "goals a15fc20"),
        Fact("Other tracking issue", "2026-03-12", "goals cf5f654"),
    )),
    MetadataKey("teams", (
        Fact("Teams", "2024-04-11", "goals 07b0b89"),
        Fact("Task owners", "2025-01-14", "goals 7e28241"),
    )),
    MetadataKey("flagship", (Fact("Flagship", "2025-08-06", "goals f877c83 (#370)"),)),
    MetadataKey("roadmap", (Fact("Roadmap", "2026-02-07", "goals c580877"),)),
    MetadataKey("highlight", (Fact("Highlight", "2026-02-07", "goals c580877"),)),
    MetadataKey("what and why", (Fact("What and why", "2026-02-07", "goals c580877"),)),
    MetadataKey("application area", (Fact("Application area", "2026-02-07", "goals c580877"),)),
    MetadataKey("needs", (Fact("Needs", "2026-02-20", "goals fbd3e1e"),)),
    MetadataKey("timespan", (Fact("Timespan", "2026-03-10", "goals 365d356"),)),
    MetadataKey("funding contact", (Fact("Funding contact", "2026-06-15", "goals 585ca67"),)),
)  # fmt: skip
CHAMPION_ROWS = Fact("[team] champion", "2025-08-15", "goals f18c6d8 (#373)")  # one row per team


def spellings_of(name: str) -> str:
    """The spellings the repository has written for a key, newest first, for a message: "'Contact' or 'Point of
    contact'"."""
    key = next(k for k in METADATA_KEYS if k.name == name)
    return " or ".join(f"'{f.text}'" for f in reversed(key.spellings) if f.since is not None)


@record
class ContactWords:
    """The word generated tables use for the contact column, as the period's own files spell the key."""

    column: str  # goal lists, roadmap tables, review documents: 'Point of contact' / 'Contact'
    short: str  # the size tables' narrow column: 'PoC' / 'Contact'
    plural: str  # in a sentence: 'points of contact' / 'contacts'

    @property
    def lower(self) -> str:
        """In a sentence: 'point of contact' / 'contact'."""
        return self.column[0].lower() + self.column[1:]


# By the spelling of the contact key (case-folded); the first entry is the word of a period that writes none.
CONTACT_WORDS: dict[str, ContactWords] = {
    "point of contact": ContactWords("Point of contact", "PoC", "points of contact"),
    "contact": ContactWords("Contact", "Contact", "contacts"),
}


# The site the goal pages are published on (the base of every goal link) when neither --site-url nor book.toml names
# one: rust-lang.github.io/rust-project-goals/ until the repository's rename, rust-lang.github.io/goals/ after it.
SITE_URLS: tuple[Fact, ...] = (
    Fact(
        "https://rust-lang.github.io/rust-project-goals/", "2024-04-04", "the repository's GitHub Pages", "2026-08-07"
    ),
    Fact("https://rust-lang.github.io/goals/", "2026-08-07", "rust-lang/team#2661 (the rename)", "2026-08-28"),
    Fact("https://goals.rust-lang.org/", "2026-08-28", "rust-lang/goals#753, #773 and rust-lang/rust-forge#1104"),
)
SITE_URL = SITE_URLS[-1].text


# The support levels of the 2026 format's `| Team | Support level | Notes |` tables. Vibes ("no action needed") was
# renamed Small and removed from the goals tool, which has rejected it since; slate reports it the same way.
SUPPORT_LEVELS: tuple[Fact, ...] = (
    Fact("Small", "2025-12-03", "goals 4f5ee67"),
    Fact("Medium", "2025-12-03", "goals 4f5ee67"),
    Fact("Large", "2025-12-03", "goals 4f5ee67"),
    Fact(
        "Vibes",
        "2025-12-03",
        "goals 4f5ee67; removed by commit 91f16d4, rust-lang/goals#544",
        "2026-02-11",
    ),
)
RETIRED_LEVELS: dict[str, str] = {"vibes": "Small"}  # a removed level (case-folded) -> the level that replaced it
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def retired_level_hint(written: str) -> str | None:
    """For a support level the repository removed: what it became, when, and where; else None."""
    became = RETIRED_LEVELS.get(written.strip().casefold())
    if became is None:
        return None
    fact = next(f for f in SUPPORT_LEVELS if f.text.casefold() == written.strip().casefold())
    assert fact.until is not None
    year, month = fact.until[:4], _MONTHS[int(fact.until[5:7]) - 1]
    return f"'{fact.text}' became '{became}' in {month} {year} ({fact.source.split('; ')[-1]}): write {became}"


# The funding-table directives of the goals tool that group their rows, and what they group by. `(((FUNDING
# TABLE)))` (every goal needing funding) and `(((FUNDING TABLE: Theme)))` (one roadmap's goals) take no grouping;
# `(((FUNDING TABLE: GROUPED)))` is the roadmap filter for a theme named GROUPED, as the goals tool reads it.
FUNDING_GROUPINGS: dict[str, str] = {
    "FUNDING TABLE GROUPED": "roadmap",
    "FUNDING TABLE GROUPED BY GOAL": "roadmap",  # the same table (the goals tool sorts titles case-sensitively)
    "FUNDING TABLE GROUPED BY POC": "funding contact",
}
FUNDING_DIRECTIVES: tuple[Fact, ...] = (
    Fact("(((FUNDING TABLE)))", "2026-04-30", "goals a6b4833"),
    Fact("(((FUNDING TABLE: Theme)))", "2026-04-30", "goals a6b4833"),
    Fact("(((FUNDING TABLE GROUPED)))", "2026-04-30", "goals a6b4833"),
    Fact("(((FUNDING TABLE GROUPED BY GOAL)))", "2026-06-03", "goals 539850e"),
    Fact("(((FUNDING TABLE GROUPED BY POC)))", "2026-06-03", "goals 539850e"),
)


# `rust-project-goals.toml`'s `[team_asks]`: a string per kind first, then a table per kind.
ASK_KIND_LAYOUTS: tuple[Fact, ...] = (
    Fact('"Kind" = "description"', "2024-12-16", "goals 3103a7e", until="2025-02-07"),
    Fact('"Kind" = { short = "…", about = "…" }', "2025-02-07", "goals 0e23b14 (#245)"),
)

# The goal template, kept in the 2024h2 folder at first: a page for authors to copy, never a goal.
TEMPLATE_FILES: tuple[Fact, ...] = (
    Fact("0000-TEMPLATE.md", "2024-04-11", "goals 07b0b89", until="2024-05-02"),
    Fact("TEMPLATE.md", "2024-05-02", "goals 33a4387 (moved to src/ by 7745309, 2024-05-06)"),
)


def is_template(file_name: str) -> bool:
    """`TEMPLATE.md`, `0000-TEMPLATE.md` or any other `*-TEMPLATE.md`."""
    return file_name == "TEMPLATE.md" or file_name.endswith("-TEMPLATE.md")
