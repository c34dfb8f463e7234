"""slate extends mistune through methods that are not its public interface (docs/decisions.md, "mistune's private
methods"): `BlockParser.parse` is cut short for child states and `_parse_indent_code_fast` answers the common case
itself. So mistune's version is pinned exactly in pyproject.toml, and these tests fail when an upgrade changes the
code the overrides stand on, or when the overrides stop giving what mistune alone gives.

The fingerprints are of mistune's own source (what we read when we wrote the overrides), not of anything slate
produces: after an upgrade, read the changed methods again, run test_the_overrides_change_no_document on the
corpora, and only then record the new fingerprints and the new pin.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mistune
import pytest
from mistune import list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState

from rust_goals_slate.parse import block_tokens
from rust_goals_slate.parse.markdown import parse_document
from tests.support import corpus

ROOT = Path(__file__).resolve().parent.parent

# What the overrides replace or rely on: the block loop and the indented-code probe they override, the rule
# dispatch they wrap, the state they subclass, and the list and block-quote rules whose inner parses they skip
# (each finds where its block ends before it parses the inside in a child state).
RELIED_ON: dict[str, Callable[..., Any] | type] = {
    "BlockParser.parse": BlockParser.parse,
    "BlockParser._parse_indent_code_fast": BlockParser._parse_indent_code_fast,
    "BlockParser.parse_method": BlockParser.parse_method,
    "BlockParser.parse_block_quote": BlockParser.parse_block_quote,
    "BlockParser.extract_block_quote": BlockParser.extract_block_quote,
    "BlockState": BlockState,
    "list_parser.parse_list": list_parser.parse_list,
    "list_parser._parse_list_item": list_parser._parse_list_item,
}
FINGERPRINTS = {  # sha256 of inspect.getsource, first 16 hex digits, mistune 3.4.0
    "BlockParser.parse": "3afb0b1531e99dc7",
    "BlockParser._parse_indent_code_fast": "7e73923c2568863a",
    "BlockParser.parse_method": "d5b47615ad469a3a",
    "BlockParser.parse_block_quote": "a27b90f42dddf539",
    "BlockParser.extract_block_quote": "e2f8d7a865c2cfe5",
    "BlockState": "e00a399163bb0077",
    "list_parser.parse_list": "8a5f1f4fecec07d4",
    "list_parser._parse_list_item": "6e59aebbe0f5e998",
}


def test_mistune_is_the_pinned_version() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pinned = re.search(r'"mistune==([0-9.]+)"', pyproject)
    assert pinned is not None, "pyproject.toml pins mistune exactly"
    assert mistune.__version__ == pinned.group(1)


@pytest.mark.parametrize("name", sorted(RELIED_ON))
def test_the_code_the_overrides_stand_on_is_unchanged(name: str) -> None:
    source = inspect.getsource(RELIED_ON[name])
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == FINGERPRINTS[name], f"mistune's {name} changed"


@pytest.mark.slow
def test_the_overrides_change_no_document(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(p for name in ("2024h2", "2025h1", "2025h2", "2026", "head") for p in corpus(name).rglob("*.md"))
    files += sorted((ROOT / "goals").rglob("*.md")) + sorted((ROOT / "docs").rglob("*.md"))
    texts = {str(p): p.read_text(encoding="utf-8").replace("\r\n", "\n") for p in files}
    ours = {path: parse_document(path, text) for path, text in texts.items()}
    monkeypatch.setattr(block_tokens._PositionParser, "parse", BlockParser.parse)
    monkeypatch.setattr(block_tokens._PositionParser, "_parse_indent_code_fast", BlockParser._parse_indent_code_fast)
    for path, text in texts.items():
        assert parse_document(path, text) == ours[path], path
