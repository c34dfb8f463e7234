"""A per-user cache of slate's compiled Jinja templates: what `__pycache__` is to Python modules.

Jinja compiles a template to Python code on first use: lexing, parsing, code generation and `compile()` of the
eight templates a build renders cost about as much as rendering them (about 100 million instructions, a fifth of
the render stage). Jinja can keep the compiled code in a bytecode cache; this module supplies one in slate's cache
folder (`sources.cache`: `$XDG_CACHE_HOME/slate/jinja`, else `~/.cache/slate/jinja`; `SLATE_NO_CACHE=1` turns it off).

The output never depends on the cache. A cached entry is used only when everything that shapes the compiled code is
the same: Jinja checks the template's source checksum itself (an edited template, built-in or from
`--templates DIR`, is compiled again), and the key holds the template's name and file plus a fingerprint of the
environment's compile settings (delimiters, whitespace handling, autoescape, extensions, code generator) and of
the Jinja and Python versions. An entry that cannot be read is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys

import jinja2
import jinja2.bccache

from rust_goals_slate.render.precompiled import compile_settings
from rust_goals_slate.sources.cache import cache_folder


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for `jinja2.Environment(bytecode_cache=...)`, or None."""
    folder = cache_folder("jinja")
    return _FingerprintedCache(str(folder)) if folder is not None else None


def fingerprint(environment: jinja2.Environment) -> str:
    """Everything besides the source that changes the code Jinja compiles a template to."""
    parts = (jinja2.__version__, jinja2.bccache.bc_version, sys.version, compile_settings(environment))
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class _FingerprintedCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, with the environment's fingerprint in the key and every failure treated as a miss."""

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        key = hashlib.sha256(f"{fingerprint(environment)}\0{name}\0{filename or ''}".encode()).hexdigest()
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A full disk or a vanished folder costs the next run a compile, nothing more.
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
