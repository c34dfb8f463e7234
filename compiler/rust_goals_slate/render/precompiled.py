"""The built-in templates compiled ahead of time: Python modules shipped in the wheel beside the templates.

Jinja compiles a template to Python source and then to bytecode in every process that has no bytecode cache (the
first build on a machine, a CI job, `SLATE_NO_CACHE=1`): for the templates of a build, about 100 M instructions.
The wheel's build (`setup.py`) writes each built-in template's Python source with `compile_builtin` into
`templates/compiled/`, with a manifest of what it was compiled from; pip then compiles those modules to bytecode at
install time, as it does slate's own. An editable install (`make setup`) writes them into the checkout
(git-ignored).

`BuiltinLoader` uses a compiled module only when it was compiled from the template's present text (its SHA-256), by
the Jinja version running and with the same compile settings; otherwise (an edited template in a checkout, another
Jinja) it loads the template file, as before, through the bytecode cache. Templates given with `--templates` are
always loaded from their folder. This module imports nothing of slate's, so that `setup.py` can load it by path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, MutableMapping
from typing import Any

import jinja2

COMPILED = "compiled"  # the folder inside templates/
_MANIFEST = "manifest.json"


def environment(loader: jinja2.BaseLoader, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The one Jinja environment of slate's templates (the render and the precompiler build it the same way)."""
    return jinja2.Environment(
        loader=loader,
        autoescape=False,  # the output is Markdown, and cells arrive escaped for Markdown
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache,
    )


def compile_settings(env: jinja2.Environment) -> list[Any]:
    """Everything of an environment, besides the Jinja version and the source, that changes the code a template
    compiles to."""
    e: Any = env
    return [
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
        repr(e.autoescape),  # a function's repr names its address: never equal across runs, never a wrong reuse
        repr(e.finalize),
        e.optimized,
        e.is_async,
        sorted(e.extensions),
    ]


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def compile_builtin(templates: str, target: str) -> None:
    """Compile every `*.j2` of TEMPLATES into TARGET (`tmpl_<sha1 of the name>.py`, Jinja's `ModuleLoader` layout)
    and write the manifest: the Jinja version, the compile settings and each template's SHA-256."""
    loader = jinja2.FileSystemLoader(templates)
    env = environment(loader)
    os.makedirs(target, exist_ok=True)
    names = env.list_templates(extensions=["j2"])
    env.compile_templates(target, zip=None, ignore_errors=False, log_function=lambda _: None, extensions=["j2"])
    manifest = {
        "jinja2": jinja2.__version__,
        "settings": compile_settings(env),
        "templates": {name: _digest(loader.get_source(env, name)[0]) for name in names},
    }
    with open(os.path.join(target, _MANIFEST), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=1, sort_keys=True)
        out.write("\n")


class BuiltinLoader(jinja2.BaseLoader):
    """The built-in templates: a precompiled module where one matches the template (see the module's docstring),
    else the template file through FALLBACK (a `FileSystemLoader` of the same folder)."""

    def __init__(self, templates: str, fallback: jinja2.BaseLoader) -> None:
        self.fallback = fallback
        self.compiled = os.path.join(templates, COMPILED)
        self._digests: dict[str, str] | None = None  # read on first use
        self._settings: list[Any] = []
        self._modules: jinja2.ModuleLoader | None = None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.fallback.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.fallback.list_templates()

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        digest = self._manifest().get(name)
        if digest is not None and self._modules is not None and self._settings == compile_settings(environment):
            source = self.fallback.get_source(environment, name)[0]
            if _digest(source) == digest:
                return self._modules.load(environment, name, globals)
        return self.fallback.load(environment, name, globals)

    def _manifest(self) -> dict[str, str]:
        if self._digests is None:
            self._digests = {}
            try:
                with open(os.path.join(self.compiled, _MANIFEST), encoding="utf-8") as f:
                    manifest = json.load(f)
                if manifest["jinja2"] == jinja2.__version__:
                    self._digests = {str(k): str(v) for k, v in manifest["templates"].items()}
                    self._settings = list(manifest["settings"])
                    self._modules = jinja2.ModuleLoader(self.compiled)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # none (a checkout never installed), or damaged: the template files
        return self._digests
