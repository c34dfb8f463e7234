"""A per-user cache of slate's compiled Jinja templates: what `__pycache__` is to Python modules.

Jinja compiles a template to Python code on first use: lexing, parsing, code generation and `compile()` of the
eight templates a build renders cost about as much as rendering them (about 100 million instructions, a fifth of
the render stage). Jinja can keep the compiled code in a bytecode cache; this module supplies one in the user's
cache folder (`$XDG_CACHE_HOME/slate/jinja`, else `~/.cache/slate/jinja`).

The output never depends on the cache. A cached entry is used only when everything that shapes the compiled code is
the same: Jinja checks the template's source checksum itself (an edited template, built-in or from
`--templates DIR`, is compiled again), and the key holds the template's name and file plus a fingerprint of the
environment's compile settings (delimiters, whitespace handling, autoescape, extensions, code generator) and of
the Jinja and Python versions. An entry that cannot be read is a miss; a folder that cannot be created, or that
another user could write to, means no cache at all. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache


def cache_folder() -> Path | None:
    """The cache folder, created if needed; None if it cannot be used safely."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home folder: never a cache relative to the working folder
    folder = Path(base) / "slate" / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return None  # loading a cached template runs its code: only from a folder no one else can write to
    return folder


@functools.cache
def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for `jinja2.Environment(bytecode_cache=...)`, or None."""
    folder = cache_folder()
    return _FingerprintedCache(str(folder)) if folder is not None else None


def fingerprint(environment: jinja2.Environment) -> str:
    """Everything besides the source that changes the code Jinja compiles a template to."""
    e: Any = environment
    parts = (
        jinja2.__version__,
        jinja2.bccache.bc_version,
        sys.version,
        type(e).__module__,
        type(e).__qualname__,
        e.code_generator_class.__qualname__,
        e.context_class.__qualname__,
        e.block_start_string,
        e.block_end_string,
        e.variable_start_string,
        e.variable_end_string,
        e.comment_start_string,
        e.comment_end_string,
        e.line_statement_prefix,
        e.line_comment_prefix,
        e.trim_blocks,
        e.lstrip_blocks,
        e.newline_sequence,
        e.keep_trailing_newline,
        repr(e.autoescape),  # a function's repr names its address: no reuse across runs, never a wrong reuse
        repr(e.finalize),
        e.optimized,
        e.is_async,
        sorted(e.extensions),
    )
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
