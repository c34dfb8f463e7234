"""Files shipped inside the package (templates, the PDF filter and template, fonts), found next to this module.

slate is installed as a wheel (pip, pipx, pre-commit) as often as it is run from a checkout, so nothing is found
relative to the source tree: the templates are package data, and the checkout's top-level `templates/` is a link to
them.
"""

from __future__ import annotations

from pathlib import Path

DISTRIBUTION = "rust-goals-slate"


def package_path(*parts: str) -> Path:
    """A file or folder of the installed package, as a real path (Jinja, pandoc and Typst need one)."""
    # An installed wheel or a checkout is a folder (only a zipped install would not be, and pip never makes one), so
    # the package's own folder is the answer; importlib.resources would give the same path for ~20 ms of imports
    # (zipfile, tempfile readers) on every build.
    return Path(__file__).resolve().parent.joinpath(*parts)


def templates_dir() -> Path:
    return package_path("templates")


def slate_version() -> str:
    # importlib.metadata costs a build ~5 ms of imports (email, zipfile, csv) for a line only --version prints
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
