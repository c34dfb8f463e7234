"""Linear time on every input: the inline scanner and the block parser on adversarial runs (one line of `[`, of `|`,
a run of `<!--`, of `[a](`, of backtick runs of every length), measured at 1x and 10x the size.

A quadratic scanner takes ~100 times as long on 10 times the input; a linear one ~10 times. The bar (30) is
generous, and each run is timed in the CPU time of this process (best of three), which other processes competing for
the cores do not inflate as they do wall-clock time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from rust_goals_slate.parse import inline
from rust_goals_slate.parse.markdown import parse_document

RATIO = 30


def best_time(run: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return max(best, 2e-3)  # below a few milliseconds, timings are mostly noise: both sizes count as instant


def scan(text: str) -> object:
    return list(inline.scan(text))


def parse(text: str) -> object:
    return parse_document("src/2027/x.md", text)


def backtick_runs(n: int) -> str:
    runs: list[str] = []
    size, k = 0, 1
    while size < n:
        runs.append("`" * k + " ")
        size, k = size + k + 1, k + 1
    return "".join(runs)


CASES: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "a line of [": (scan, lambda n: "[" * n),
    "a line of [ then ]": (scan, lambda n: "[" * n + "]"),
    "a run of <!--": (scan, lambda n: "<!--" * (n // 4)),
    "a run of [a](": (scan, lambda n: "[a](" * (n // 4)),
    "a run of [a](\\x": (scan, lambda n: "[a](\\x" * (n // 6)),
    "a run of [a](x '": (scan, lambda n: "[a](x '" * (n // 7)),
    "a run of [a](<": (scan, lambda n: "[a](<" * (n // 5)),
    "backtick runs of every length": (scan, backtick_runs),
    "[ then a run of backticks": (scan, lambda n: "[" + "`" * n),
    "a run of <a followed by blanks": (scan, lambda n: "<a" + " " * n),
    "a line of |": (parse, lambda n: "|" * n + "\n|-|-x\n"),
    "a delimiter row with trailing blanks": (parse, lambda n: "a|b\n|-|-" + " " * n + "x\n"),
    "a paragraph of [ in a goal": (parse, lambda n: "# Goal\n\n" + "[" * n + "\n"),
    "a paragraph of <!--": (parse, lambda n: "# Goal\n\nx " + "<!--" * (n // 4) + "\n"),
    "strip_comments of a run of <!--": (inline.strip_comments, lambda n: "<!--" * (n // 4)),
}


@pytest.mark.parametrize("case", CASES)
def test_scaling_is_linear(case: str) -> None:
    run, make = CASES[case]
    small, large = best_time(run, make(10_000)), best_time(run, make(100_000))
    assert large / small < RATIO, f"{case}: {small:.4f}s at 10 KB, {large:.4f}s at 100 KB"


ALPHABET = "[]()<>!-`\\\"' |*_a\n"


@pytest.mark.slow
def test_fuzz_adversarial_runs_scale_linearly() -> None:
    """Random short units of the scanners' special characters, repeated: none may scale worse than linearly."""
    rng = random.Random(22)
    for _ in range(40):
        unit = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
        for run in (scan, parse):
            small, large = best_time(run, unit * (10_000 // len(unit))), best_time(run, unit * (100_000 // len(unit)))
            assert large / small < RATIO, f"{unit!r} through {run.__name__}: {small:.4f}s, then {large:.4f}s"
