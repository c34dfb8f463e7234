"""Two versions of slate against the same pandoc run, interleaved: did a change make the 2026 build slower?

    .venv/bin/python benchmarks/compare.py /path/to/other-checkout [--rounds 15]

Row 1 and 1b of `make bench` measure one version; comparing them across two `make bench` runs mixes in whatever
else the machine did in between (±10% here). This runs, in every round, pandoc, the other checkout (warm, cold) and
this checkout (warm, cold), with this checkout's interpreter and third-party packages for both, so that only
slate's own code differs. The other checkout may be of either layout slate has had: `compiler/rust_goals_slate/`
(src layout) or the older flat `compiler/` package.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import run
from tabulate import tabulate

# A whole process that runs the command line of the checkout given first, the way the `slate` script does.
_LAUNCH = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from {module} import main; sys.argv[0] = 'slate'; "
    "sys.exit(main())"
)


def launcher(checkout: Path) -> list[str | Path]:
    """The argv prefix that runs `slate` from `checkout`'s sources."""
    if (checkout / "compiler" / "rust_goals_slate").is_dir():
        path, module = checkout / "compiler", "rust_goals_slate.cli.main"
    elif (checkout / "compiler" / "cli.py").is_file():
        path, module = checkout, "compiler.cli"
    else:
        raise SystemExit(f"compare: no slate sources in {checkout}")
    return [sys.executable, "-c", _LAUNCH.format(module=module), path.resolve()]


def slate_cmd(head: list[str | Path], out: Path) -> list[str | Path]:
    return [*head, "build", run.SRC, "--teams", run.TEAMS, "--out", out, "--quiet"]


def rotated(commands: dict[str, run.Command], rounds: int) -> dict[str, run.Timing]:
    """Like `run.time_interleaved`, but round r starts with command r (mod n): on a virtual machine the speed
    drifts within a round too, and a fixed order hands one command the same share of that drift every round."""
    names = list(commands)
    timings = {name: run.Timing() for name in names}
    for cmd, extra in commands.values():
        run.run_once(cmd, extra)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            wall, cpu = run.run_once(*commands[name])
            timings[name].wall.append(wall)
            timings[name].cpu.append(cpu)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a checkout of another version of slate")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    files = [Path(p).resolve() for p in run.corpus_files()]
    with tempfile.TemporaryDirectory(prefix="slate-compare-") as tmp_name:
        tmp = Path(tmp_name)
        run.CACHE_HOME = tmp / "cache"
        other, this = launcher(args.other.resolve()), launcher(run.ROOT)
        commands: dict[str, run.Command] = {
            "pandoc -f gfm -t json": ([run.pandoc_path(), "-f", "gfm", "-t", "json", *files], {}),
            f"other ({args.other}), warm": (slate_cmd(other, tmp / "ow"), {}),
            f"other ({args.other}), cold": (slate_cmd(other, tmp / "oc"), run.NO_CACHE),
            "this checkout, warm": (slate_cmd(this, tmp / "tw"), {}),
            "this checkout, cold": (slate_cmd(this, tmp / "tc"), run.NO_CACHE),
        }
        timings = rotated(commands, args.rounds)
    ref = timings["pandoc -f gfm -t json"]
    rows = [
        [
            name,
            run.fmt_s(t.median),
            run.fmt_s(min(t.wall)),
            f"{t.median / ref.median:.2f}",
            f"{t.cpu_median / ref.cpu_median:.2f}",
            f"{statistics.median(w / p for w, p in zip(t.wall, ref.wall, strict=True)):.2f}",
        ]
        for name, t in timings.items()
    ]
    headers = ["command", "median", "min", "ratio (medians)", "CPU ratio", "median of per-round ratios"]
    print(f"{args.rounds} rounds, interleaved\n")
    print(tabulate(rows, headers=headers, tablefmt="github"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
