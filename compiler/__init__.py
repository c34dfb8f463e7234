"""slate: compiles the Rust Project Goals slate into the slate RFC."""

from compiler.build import Request, Result, build, compile_slate
from compiler.errors import Diagnostic, SlateError

__all__ = ["Diagnostic", "Request", "Result", "SlateError", "build", "compile_slate"]
