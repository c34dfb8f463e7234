"""A new goal period, as the goals tool's `cargo rpg cfp` sets it up: the period folder (README.md, goals.md,
not_accepted.md) and its entries in `src/SUMMARY.md` and `src/README.md`.

The period's pages come from the repository's samples (`src/admin/samples/rfc.md`, `goals.md`, `not_accepted.md`)
when it has them, else from slate's templates (`new_period_*.md.j2`, which `--templates` overrides). Differences
from the goals tool, on purpose:
- placeholders are replaced as whole words only (the goals tool replaces every `hn` and `HN` in the text, so for a
  year-long period such as 2027 it turns "technology" into "tecology");
- the SUMMARY section goes before the newest older period's section, keeping the book's newest-first order (the
  goals tool puts it after the last `⏳` section, below the current period);
- nothing is asked interactively: existing pages are refused unless `--force`.
"""

from __future__ import annotations

import re

import jinja2

from rust_goals_slate.errors import UsageError
from rust_goals_slate.records import record

PERIOD = re.compile(r"(\d{4})(?:[hH]([12]))?")
PAGES = (("README.md", "rfc.md"), ("goals.md", "goals.md"), ("not_accepted.md", "not_accepted.md"))
SAMPLES = "src/admin/samples"


@record
class Period:
    display: str  # 2027, 2027H1 (headings, prose)
    folder: str  # 2027, 2027h1 (paths)

    @property
    def months(self) -> tuple[str, str] | None:
        if len(self.folder) == 4:
            return None
        return ("January", "June") if self.folder.endswith("h1") else ("July", "December")


def period(value: str) -> Period:
    m = PERIOD.fullmatch(value.strip())
    if m is None:
        raise UsageError(f"slate new-period: expected a period such as 2027 or 2027h1, not {value!r}")
    year, half = m.groups()
    return Period(f"{year}H{half}" if half else year, f"{year}h{half}" if half else year)


@record
class FileChange:
    path: str  # relative to the repository root
    old: str | None  # None: a new file
    new: str
    origin: str = ""  # where a new page's text came from


def plan(
    target: Period,
    existing: dict[str, str],
    env: jinja2.Environment,
    overridden: frozenset[str] = frozenset(),
) -> list[FileChange]:
    """Every file to create or change. `existing` maps repository paths to their text: the period's pages that exist
    already, the samples, `src/SUMMARY.md` and `src/README.md`; `overridden` names the templates --templates gives."""
    changes = []
    for page, sample in PAGES:
        path = f"src/{target.folder}/{page}"
        template = f"new_period_{page.removesuffix('.md').lower()}.md.j2"
        sample_path = f"{SAMPLES}/{sample}"
        if sample_path in existing and template not in overridden:
            text, origin = fill_sample(existing[sample_path], target), sample_path
        else:
            text, origin = _render(env, template, target), f"template {template}"
        changes.append(FileChange(path, existing.get(path), text, origin))
    for path, update in (("src/SUMMARY.md", _summary), ("src/README.md", _readme)):
        if path in existing:
            new = update(existing[path], target, env)
            if new != existing[path]:
                changes.append(FileChange(path, existing[path], new))
    return changes


def _render(env: jinja2.Environment, template: str, target: Period) -> str:
    text = env.get_template(template).render(period=target.display, folder=target.folder, months=target.months)
    return text if text.endswith("\n") else text + "\n"


_NOTE = re.compile(r"^[ \t]*> \*\*NOTE:\*\*.*\n(?:[ \t]*>.*\n)*", re.M)


def fill_sample(text: str, target: Period) -> str:
    """A sample page with its `> **NOTE:**` block removed and its placeholders filled (as whole words)."""
    text = _NOTE.sub("", text if text.endswith("\n") else text + "\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    year, half = target.folder[:4], target.folder[4:]
    words = {"YYYYHN": target.display, "yyyyhn": target.folder, "YYYY": year, "yyyy": year}
    words |= {"HN": half.upper(), "hn": half}
    return re.sub(r"\b(YYYYHN|yyyyhn|YYYY|yyyy|HN|hn)\b", lambda m: words[m.group(1)], text)


_DATED = re.compile(r"^# (?:⏳|⚙️|⚙) (\d{4}(?:[hH][12])?) goal process[ \t]*$", re.M)


def _summary(text: str, target: Period, env: jinja2.Environment) -> str:
    """The period's section in SUMMARY.md: filled in when it is only a placeholder, added when it is missing."""
    section = _render(env, "new_period_summary.md.j2", target)
    for m in _DATED.finditer(text):
        if m.group(1).casefold() != target.folder:
            continue
        end = _next_heading(text, m.end(), "# ")
        body = text[m.end() : end]
        if body.strip() and "[Not yet started]" not in body:
            return text  # filled in already: left alone
        return text[: m.start()] + section + ("\n" if end < len(text) else "") + text[end:]
    dated = list(_DATED.finditer(text))
    older = [m for m in dated if m.group(1).casefold() < target.folder]
    if older:
        at = older[0].start()
    elif dated:
        at = _next_heading(text, dated[-1].end(), "# ")
    else:
        intro = re.search(r"^# Summary[ \t]*\n\n?(?:\[[^\n]*\n\n?)?", text, re.M)
        at = intro.end() if intro else 0
    before, after = text[:at], text[at:]
    if before and not before.endswith("\n\n"):
        before = before.rstrip("\n") + "\n\n"
    return before + section + ("\n" if after.strip() else "") + after


def _next_heading(text: str, start: int, prefix: str) -> int:
    """Where the next line starting with `prefix` begins (the end of the text if none)."""
    m = re.compile(rf"^{re.escape(prefix)}", re.M).search(text, start)
    return m.start() if m else len(text)


_NEXT = re.compile(r"^## Next goal period\b.*\n", re.M)
_CURRENT = re.compile(r"^## Current goal period\b.*\n", re.M)


def _readme(text: str, target: Period, env: jinja2.Environment) -> str:
    """The "Next goal period" section of src/README.md: replaced when there is one, else added after "Current goal
    period", else before the first section."""
    section = _render(env, "new_period_next.md.j2", target)
    if (m := _NEXT.search(text)) is not None:
        end = _next_heading(text, m.end(), "## ")
        return text[: m.start()] + section + ("\n" if end < len(text) else "") + text[end:]
    if (m := _CURRENT.search(text)) is not None:
        at = _next_heading(text, m.end(), "## ")
    else:
        at = _next_heading(text, 0, "## ")
    before, after = text[:at], text[at:]
    if before and not before.endswith("\n\n"):
        before = before.rstrip("\n") + "\n\n"
    return before + section + ("\n" if after else "") + after
