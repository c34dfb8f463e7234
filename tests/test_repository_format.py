"""docs/repository-format.md lists every fact of model.repository_format with its date, and the package reads
every spelling it lists."""

from __future__ import annotations

from rust_goals_slate.model import repository_format as rf
from rust_goals_slate.parse.directives import REGISTRY, Kind
from rust_goals_slate.parse.metadata import KEYS, norm_key
from tests.support import ROOT

DOC = ROOT / "docs" / "repository-format.md"


def _facts() -> list[rf.Fact]:
    found: list[rf.Fact] = []
    for value in vars(rf).values():
        if isinstance(value, rf.Fact):
            found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, rf.Fact):
                    found.append(item)
                elif isinstance(item, rf.MetadataKey):
                    found += item.spellings
    return found


def test_every_fact_is_listed_with_its_dates() -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    facts = _facts()
    assert len(facts) > 20 and rf.CHAMPION_ROWS in facts
    missing = []
    for fact in facts:
        rows = [line for line in lines if f"`{fact.text}`" in line]
        dated = [r for r in rows if all(d in r for d in (fact.since, fact.until) if d is not None)]
        if not dated:
            missing.append(fact)
    assert missing == []


def test_every_spelling_of_a_key_is_read_as_that_key() -> None:
    for key in rf.METADATA_KEYS:
        assert KEYS[key.name] == tuple(norm_key(f.text) for f in key.spellings)
    assert "contact" in KEYS[rf.CONTACT] and "point of contact" in KEYS[rf.CONTACT]


def test_every_grouping_directive_is_a_dated_fact_and_registered() -> None:
    dated = {f.text for f in rf.FUNDING_DIRECTIVES}
    for name in rf.FUNDING_GROUPINGS:
        assert f"((({name})))" in dated
        assert REGISTRY[name].kind is Kind.BLOCK
