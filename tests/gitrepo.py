"""Git in a test's own repository: a fixed identity and date, and nothing of the caller's git set-up (no GIT_*
variable, no global or system configuration), so the repository holds only what the test puts in it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

DATE = "2026-08-14T12:00:00+00:00"


def git_env(date: str = DATE) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def git(cwd: Path, *args: str, stdin: str | None = None, date: str = DATE) -> str:
    done = subprocess.run(
        ["git", "-C", str(cwd), *args], input=stdin, capture_output=True, text=True, env=git_env(date), check=True
    )
    return done.stdout.strip()
