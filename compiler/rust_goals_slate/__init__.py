"""slate: compiles the Rust Project Goals slate into the slate RFC."""

from rust_goals_slate.errors import Diagnostic, SlateError
from rust_goals_slate.pipeline.build import Request, Result, build, compile_slate

__all__ = ["Diagnostic", "Request", "Result", "SlateError", "build", "compile_slate"]
