"""FUNDING TABLE as the goals repository computes it: the funding team when a goal names no funding contact, and
`Yes` in the Funded column not counted as funded (it is reported, see tests/data/invalid/funding-status-yes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rust_goals_slate.pipeline.build import Request, compile_slate
from tests.check_cases import BASE

FUNDING_TEAM = "[Funding team](https://rust-lang.org/governance/teams/launching-pad/#team-funding)"


def _funding_rows(tmp_path: Path, funded: str, contact: str | None = None) -> list[str]:
    root = tmp_path / "slate"
    shutil.copytree(BASE, root)
    src = root / "src" / "2099"
    readme = src / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n## Funding\n\n(((FUNDING TABLE)))\n", encoding="utf-8")
    beta = src / "beta.md"
    text = beta.read_text(encoding="utf-8").replace("| $20K | No     |", f"| $20K | {funded} |")
    if contact is not None:
        text = text.replace(
            "| Needs            | Funding                          |", f"| Funding contact | {contact} |"
        )
    beta.write_text(text, encoding="utf-8")
    result = compile_slate(Request(src=src, teams=root / "teams.yaml"))
    return [line for line in result.text.splitlines() if "beta.html#funding" in line]


def test_no_funding_contact_means_the_funding_team_not_the_point_of_contact(tmp_path: Path) -> None:
    (row,) = _funding_rows(tmp_path, "No")
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert cells[0] == "🟥"
    assert cells[2] == "$20,000"
    assert cells[3] == FUNDING_TEAM  # beta.md's point of contact is @carol-c; she is not the funding contact


def test_a_named_funding_contact_is_shown(tmp_path: Path) -> None:
    (row,) = _funding_rows(tmp_path, "Partial", contact="[RustNL](https://rustnl.org)")
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert (cells[0], cells[3]) == ("🟡", "[RustNL](https://rustnl.org)")


def test_yes_is_not_funded(tmp_path: Path) -> None:
    (full,) = _funding_rows(tmp_path / "full", "Full")
    (yes,) = _funding_rows(tmp_path / "yes", "Yes")
    assert full.startswith("| ✅ |")
    assert yes.startswith("| 🟥 |")
