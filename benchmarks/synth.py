"""Synthetic slates: the 2026 corpus replicated N times, for the linear-growth benchmark.

A slate of factor N holds the corpus's README, chapters and roadmaps once, and every goal file N times: copy 0 is
the file as it is, copy k > 0 is `<stem>-x<k>.md` with ` (copy k)` added to its title (so titles, file names,
heading anchors and the title order stay unique). Everything else is kept as written, so every copy has the real
metadata, champions, team asks, links and footnotes of its original: the asks stay realistic, and the copies resolve
against the real team data, which is reused as it is (`--teams` points at the corpus's `team/` folder).

The slate is written to a folder outside the project (a temporary folder); corpus files are never copied into the
project.

    python benchmarks/synth.py 10 /tmp/synth-10   # writes /tmp/synth-10/src/2026 and its book.toml
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("../shared/corpus/2026")  # relative to the project root
PERIOD = "2026"
CONFIG_FILES = ("book.toml", "rust-project-goals.toml")
_METADATA = re.compile(r"^\|\s*Metadata\s*\|", re.I | re.M)
_TITLE = re.compile(r"^(#[ \t]+)([^\r\n]*?)([ \t]*)(?=\r?$)", re.M)


@dataclass(frozen=True)
class Synthetic:
    root: Path  # the input root (holds book.toml)
    src: Path  # the period folder, <root>/src/2026
    teams: Path  # the team data to pass to --teams
    factor: int
    goals: int  # goal files in the slate
    files: int  # Markdown files in the slate
    bytes: int  # Markdown bytes in the slate


def corpus_dir(project_root: Path = ROOT) -> Path:
    return project_root / CORPUS


def is_goal(name: str, text: str) -> bool:
    """A goal file: a Markdown file with a metadata table that is not the README, a roadmap or an area page."""
    if name in ("README.md", "TEMPLATE.md") or name.startswith(("roadmap-", "area-")):
        return False
    return _METADATA.search(text) is not None


def retitle(text: str, copy: int) -> str:
    """The first ATX level-1 heading gets ` (copy N)`; copy 0 is returned unchanged."""
    if copy == 0:
        return text
    return _TITLE.sub(lambda m: f"{m.group(1)}{m.group(2)} (copy {copy}){m.group(3)}", text, count=1)


def generate(factor: int, dest: Path, corpus: Path | None = None) -> Synthetic:
    """Write a slate of `factor` times the corpus's goals into `dest` (which must be empty or absent)."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    corpus = corpus if corpus is not None else corpus_dir()
    source = corpus / "src" / PERIOD
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: the 2026 corpus is not there")
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest}: not empty")
    src = dest / "src" / PERIOD
    src.mkdir(parents=True)
    for name in CONFIG_FILES:
        if (corpus / name).is_file():
            shutil.copyfile(corpus / name, dest / name)
    goals = files = size = 0
    for path in sorted(source.glob("*.md")):
        text = path.read_bytes().decode("utf-8", "surrogateescape")  # bytes as they are: no newline translation
        goal = is_goal(path.name, text)
        copies = factor if goal else 1
        for copy in range(copies):
            name = path.name if copy == 0 else f"{path.stem}-x{copy}.md"
            data = retitle(text, copy).encode("utf-8", "surrogateescape")
            (src / name).write_bytes(data)
            files += 1
            size += len(data)
        if goal:
            goals += factor
    return Synthetic(dest, src, corpus / "team", factor, goals, files, size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("factor", type=int, help="how many times the corpus's goals are repeated")
    parser.add_argument("dest", type=Path, help="an empty folder outside the project")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    if dest.is_relative_to(ROOT):
        parser.error("write synthetic slates outside the project (corpus text never goes into it)")
    slate = generate(args.factor, dest)
    print(f"{slate.src}: {slate.goals} goals, {slate.files} files, {slate.bytes} bytes; teams: {slate.teams}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
