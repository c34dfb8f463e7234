"""The wheel's one build step beyond copying files: the built-in templates compiled ahead of time
(compiler/rust_goals_slate/render/precompiled.py). Everything else is declared in pyproject.toml."""

import importlib.util
import os

from setuptools import setup
from setuptools.command.build_py import build_py

_HERE = os.path.dirname(os.path.abspath(__file__))
_TEMPLATES = os.path.join(_HERE, "compiler", "rust_goals_slate", "templates")


def _precompiled():  # loaded by path: importing the package would need its run-time dependencies here
    path = os.path.join(_HERE, "compiler", "rust_goals_slate", "render", "precompiled.py")
    spec = importlib.util.spec_from_file_location("_slate_precompiled", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _BuildPy(build_py):
    """build_py, then the templates compiled into the wheel's templates/compiled/ (an editable install: the
    checkout's, which git ignores)."""

    def run(self):
        super().run()
        precompiled = _precompiled()
        base = _TEMPLATES if self.editable_mode else os.path.join(self.build_lib, "rust_goals_slate", "templates")
        precompiled.compile_builtin(_TEMPLATES, os.path.join(base, precompiled.COMPILED))


setup(cmdclass={"build_py": _BuildPy})
