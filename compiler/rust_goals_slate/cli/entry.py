"""Where the `slate` process starts (the console script and `python -m rust_goals_slate`).

Importing the program makes a few hundred thousand objects (classes, functions, compiled patterns, Jinja's and
mistune's tables) that live until the process exits; the cyclic collector would walk them again and again while
they are made (~15 M instructions of a 1,200 M build). So it is paused before the first import, and `cli.main.main`
freezes what the imports made and starts it again.
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    from rust_goals_slate.cli.main import main as run

    return run()
