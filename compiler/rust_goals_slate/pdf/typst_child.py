"""Typst in a child process, under a memory and a CPU-time limit (started by `typeset.run_typst`; docs/pdf.md).

The `typst` package compiles in-process, and a compilation can allocate without bound or loop for long: in a child
of its own, a limit ends only the child. This module imports nothing of slate. It reads one JSON request on
standard input (source, root, font paths, sys.inputs, timestamp, limits), sets the limits before Typst is loaded,
and writes the PDF to standard output; Typst's own report goes to standard error with exit status 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    if sys.platform != "win32":  # Windows has no rlimits: there only the parent's wall-clock timeout applies
        import resource

        memory, cpu = int(request["memory"]), int(request["cpu"])
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit
    try:
        import typst
    except ImportError:
        sys.stderr.write("the PDF output needs Typst: install slate with the `pdf` extra (typst)")
        return 2
    # The package's stub ties `input`, `root` and the font paths to one type; the source is bytes, the paths str.
    compile_typst: Callable[..., object] = typst.compile
    try:
        pdf = compile_typst(
            request["source"].encode("utf-8"),
            root=request["root"],
            font_paths=request["fonts"],
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs=request["inputs"],
            timestamp=request["timestamp"],
        )
    except typst.TypstError as exc:
        sys.stderr.write(typst_message(exc))
        return 1
    except MemoryError:
        sys.stderr.write("out of memory")
        return 3
    except (RuntimeError, ValueError, OSError) as exc:
        sys.stderr.write(str(exc))
        return 1
    if not isinstance(pdf, bytes):
        sys.stderr.write(f"typst returned {type(pdf).__name__} instead of PDF bytes")
        return 1
    sys.stdout.buffer.write(pdf)
    return 0


def typst_message(exc: BaseException) -> str:
    """Typst's own report (message, place in the generated source, hints), as its command line would print it."""
    diagnostic = getattr(exc, "diagnostic", None)
    if isinstance(diagnostic, str) and diagnostic.strip():
        return diagnostic.strip()
    text = str(getattr(exc, "message", "") or exc)
    hints = getattr(exc, "hints", None)
    if isinstance(hints, list) and hints:
        text += "".join(f"\nhint: {hint}" for hint in hints)
    return text


if __name__ == "__main__":
    sys.exit(main())
