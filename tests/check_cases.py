"""The invalid-input cases of tests/data/invalid/: how a case becomes a slate, and what it expects.

Each case folder holds the files it changes or adds on top of `_base/` (a valid slate that checks clean), an
`expected.txt` written by hand from the rule it breaks, and optionally a `setup.toml`:

- `delete = [paths]`: base files to remove;
- `standalone = true`: start from nothing instead of `_base/`;
- `[generate."path"]` with `head`, `repeat` and `times`: a file written as head + repeat * times (the 5 MB goal).

`expected.txt` lists diagnostics as `slate check` prints them without the source line: a
`path:line:col: severity: message [code]` line, then an optional `  hint: ...` line. Lines starting with `#` are
comments. `{root}` stands for the case's folder as given to check, `{realroot}` for its resolved path.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

from rust_goals_slate.errors import Diagnostic
from tests.support import ROOT

CASES = ROOT / "tests" / "data" / "invalid"
BASE = CASES / "_base"
PERIOD = "2099"

Expected = list[tuple[str, str | None]]  # (header line, hint)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def materialize(name: str, into: Path) -> Path:
    """The case as a slate folder under `into`; returns its root (the folder holding book.toml)."""
    case = CASES / name
    setup_file = case / "setup.toml"
    setup = tomllib.loads(setup_file.read_text(encoding="utf-8")) if setup_file.exists() else {}
    root = into / "slate"
    if setup.get("standalone"):
        root.mkdir(parents=True)
    else:
        shutil.copytree(BASE, root, symlinks=True)
    skip = shutil.ignore_patterns("expected.txt", "setup.toml", ".gitattributes")
    shutil.copytree(case, root, symlinks=True, dirs_exist_ok=True, ignore=skip)
    for rel in setup.get("delete", []):
        (root / rel).unlink()
    for rel, spec in setup.get("generate", {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec["head"] + spec["repeat"] * spec["times"], encoding="utf-8", newline="")
    return root


def src_of(root: Path) -> Path:
    return root / "src" / PERIOD


def expected(name: str, root: Path) -> Expected:
    text = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    text = text.replace("{realroot}", os.path.realpath(root)).replace("{root}", str(root))
    out: Expected = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("  hint: "):
            assert out and out[-1][1] is None, f"{name}: a hint line must follow a diagnostic line"
            out[-1] = (out[-1][0], line.removeprefix("  hint: "))
        else:
            out.append((line, None))
    return out


def observed(diagnostics: list[Diagnostic]) -> Expected:
    return [(d.format(show_source=False).split("\n", 1)[0], d.hint or None) for d in diagnostics]


def has_errors(expectation: Expected) -> bool:
    return any(": error: " in header for header, _ in expectation)
