"""Read what `gh` exports as JSON: the issues of a milestone (`gh issue list --json ...`) and the comments of issues
(`gh api .../issues/N/comments`, or `gh issue list --json comments`).

Exports are files the user saved (or `--live` output): they are checked for shape, and a file that is not what
`gh` writes is one error naming the file and the item, never a traceback. Both spellings GitHub uses are read:
the GraphQL names of `gh issue list` (`createdAt`, `author.login`, `isMinimized`) and the REST names of `gh api`
(`created_at`, `user.login`, `html_url`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rust_goals_slate.errors import InputError
from rust_goals_slate.model import Issue, IssueComment

MAX_EXPORT_BYTES = 64 * 1024 * 1024  # a year of a milestone's issues with comments is a few megabytes
ISSUE_FIELDS = "number,title,state,labels,assignees,milestone,body,comments,url"


def read_json(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise InputError(f"{path}: larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB; not a gh export")
        return _json_values(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None


def _json_values(text: str) -> Any:
    """One JSON value; or several in a row, as `gh api --paginate` prints one array per page: their items, joined."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text) and values:
            break
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    if len(values) == 1:
        return values[0]
    if not all(isinstance(v, list) for v in values):
        raise json.JSONDecodeError("several JSON values that are not all arrays", text, 0)
    return [item for value in values for item in value]


def parse_comment_export(data: Any, where: str) -> dict[int, tuple[IssueComment, ...]]:
    """Comments by issue number, from either export the updates post reads:
    - `gh api --paginate 'repos/O/R/issues/comments?since=...'`: comments that name their issue in `issue_url`
      (pages one after the other, or wrapped in one array by `--slurp`);
    - `gh issue list --json number,comments`: issues that hold their comments."""
    if not isinstance(data, list):
        raise InputError(f"{where}: expected a JSON array (gh api ... issues/comments, or gh issue list --json)")
    if data and all(isinstance(page, list) for page in data):  # gh api --paginate --slurp
        data = [item for page in data for item in page]
    found: dict[int, list[IssueComment]] = {}
    for i, item in enumerate(data):
        if isinstance(item, dict) and "issue_url" in item:
            url = item.get("issue_url")
            number = url.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) else ""
            if not number.isdigit():
                raise InputError(f"{where}: comment {i + 1}: `issue_url` does not end in an issue number")
            found.setdefault(int(number), []).extend(parse_comments([item], f"{where}: comment {i + 1}"))
        elif isinstance(item, dict) and "number" in item:
            issue = _issue(item, f"{where}: issue {i + 1}")
            if issue.comments is None:
                raise InputError(f"{where}: issue {i + 1} (#{issue.number}): no `comments` (export --json comments)")
            found.setdefault(issue.number, []).extend(issue.comments)
        else:
            raise InputError(f"{where}: item {i + 1} is neither a comment with `issue_url` nor an issue")
    return {n: tuple(sorted(c, key=lambda c: c.created_at)) for n, c in found.items()}


def parse_issues(data: Any, where: str) -> tuple[Issue, ...]:
    """A `gh issue list --json ...` array (or one issue object of `gh issue view --json ...`)."""
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(f"{where}: expected a JSON array of issues (gh issue list --json {ISSUE_FIELDS})")
    return tuple(_issue(item, f"{where}: issue {i + 1}") for i, item in enumerate(items))


def _issue(item: Any, where: str) -> Issue:
    if not isinstance(item, dict):
        raise InputError(f"{where}: not a JSON object")
    number = item.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise InputError(f"{where}: no issue number (the export needs the field `number`)")
    where = f"{where} (#{number})"
    milestone = item.get("milestone")
    comments = item.get("comments")
    return Issue(
        number=number,
        title=_text(item, "title", where),
        state=str(item.get("state") or "OPEN").upper(),
        labels=tuple(_names(item.get("labels"), "name", where, "labels")),
        assignees=tuple(_names(item.get("assignees"), "login", where, "assignees")),
        milestone=_text(milestone, "title", where) if isinstance(milestone, dict) else None,
        body=_text(item, "body", where),
        comments=parse_comments(comments, where) if isinstance(comments, list) else None,
        url=_text(item, "url", where) or _text(item, "html_url", where),
    )


def parse_comments(data: Any, where: str) -> tuple[IssueComment, ...]:
    """Comments as `gh api repos/O/R/issues/N/comments` (REST) or `gh issue list --json comments` (GraphQL) give
    them."""
    if not isinstance(data, list):
        raise InputError(f"{where}: expected a JSON array of comments")
    out = []
    for i, item in enumerate(data):
        at = f"{where}: comment {i + 1}"
        if not isinstance(item, dict):
            raise InputError(f"{at}: not a JSON object")
        author = item.get("author") or item.get("user") or {}
        login = author.get("login") if isinstance(author, dict) else None
        created = item.get("createdAt") or item.get("created_at")
        if not isinstance(created, str) or len(created) < 10:
            raise InputError(f"{at}: no creation date (createdAt or created_at)")
        out.append(
            IssueComment(
                author=login if isinstance(login, str) else "ghost",  # GitHub's name for a deleted account
                body=_text(item, "body", at),
                created_at=created,
                url=_text(item, "html_url", at) or _text(item, "url", at),  # REST's `url` is the API's
                minimized=bool(item.get("isMinimized")),
            )
        )
    return tuple(out)


def _text(item: Any, key: str, where: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: `{key}` is not a string")
    return value


def _names(entries: Any, key: str, where: str, field: str) -> list[str]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise InputError(f"{where}: `{field}` is not an array")
    names = []
    for entry in entries:
        name = entry.get(key) if isinstance(entry, dict) else entry
        if not isinstance(name, str):
            raise InputError(f"{where}: an entry of `{field}` has no `{key}`")
        names.append(name)
    return names


def parse_labels(data: Any, where: str) -> tuple[str, ...]:
    """The repository's label names, from `gh label list --json name --limit 1000`."""
    if not isinstance(data, list):
        raise InputError(f"{where}: expected a JSON array of labels (gh label list --json name)")
    return tuple(_names(data, "name", where, "labels"))
