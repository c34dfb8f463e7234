"""`slate` with GitHub's pull-request-body limit lifted, for the synthetic slates of the benchmark.

A slate of hundreds of goals cannot have a PR body under GitHub's 65,536 characters, so `slate build` rightly
refuses it before writing anything. The benchmark wants the cost of a build that succeeds, so this runs the same
command line with that one check lifted: every stage runs and every output is written, as for a real slate.

    python benchmarks/unlimited.py build SRC --teams TEAMS --out OUT
"""

from __future__ import annotations

import sys

from rust_goals_slate.cli.main import main


def lift_limit() -> None:
    try:
        from rust_goals_slate.review import pr_body
    except ImportError:  # no PR body stage: nothing to lift
        return
    if hasattr(pr_body, "LIMIT"):
        pr_body.LIMIT = sys.maxsize


if __name__ == "__main__":
    lift_limit()
    sys.exit(main())
