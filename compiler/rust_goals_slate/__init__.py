"""slate: compiles the Rust Project Goals slate into the slate RFC.

The names below are imported on first use, so that the `slate` process can pause the cyclic collector before it
imports the pipeline (cli/entry.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rust_goals_slate.errors import Diagnostic, SlateError
    from rust_goals_slate.pipeline.build import Request, Result, build, compile_slate

__all__ = ["Diagnostic", "Request", "Result", "SlateError", "build", "compile_slate"]

_MODULES = {"Diagnostic": "errors", "SlateError": "errors"} | dict.fromkeys(
    ("Request", "Result", "build", "compile_slate"), "pipeline.build"
)


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
