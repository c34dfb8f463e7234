"""Files shipped inside the package (templates, the PDF filter and template, fonts), found through importlib.resources.

slate is installed as a wheel (pip, pipx, pre-commit) as often as it is run from a checkout, so nothing is found
relative to the source tree: the templates are package data, and the checkout's top-level `templates/` is a link to
them.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

DISTRIBUTION = "rust-goals-slate"


def package_path(*parts: str) -> Path:
    """A file or folder of the installed package, as a real path (Jinja, pandoc and Typst need one)."""
    found = importlib.resources.files(__package__ or "rust_goals_slate").joinpath(*parts)
    # An installed wheel or a checkout is a folder; only a zipped install would not be, and pip never makes one.
    return Path(str(found))


def templates_dir() -> Path:
    return package_path("templates")


def slate_version() -> str:
    # importlib.metadata costs a build ~5 ms of imports (email, zipfile, csv) for a line only --version prints
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
