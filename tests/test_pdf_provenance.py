"""Where a PDF comes from: the build time (SOURCE_DATE_EPOCH) and the source revision read from `.git`, and how
they reach the title page, Typst's inputs and the PDF's metadata."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import UsageError
from rust_goals_slate.pdf import provenance, typeset
from rust_goals_slate.pdf.provenance import build_time, pdf_time, source_revision
from rust_goals_slate.pdf.typeset import PdfMeta
from tests.gitrepo import git
from tests.support import ROOT

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def test_build_time_is_source_date_epoch_when_set() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "1772000000"}) == datetime(2026, 2, 25, 6, 13, 20, tzinfo=UTC)
    assert build_time({"SOURCE_DATE_EPOCH": " 0 "}) == datetime(1970, 1, 1, tzinfo=UTC)


def test_build_time_is_now_otherwise() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    built = build_time({})
    assert before <= built <= datetime.now(UTC) and built.microsecond == 0 and built.tzinfo is UTC


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        build_time({"SOURCE_DATE_EPOCH": value})


def _repo(root: Path, head: str) -> Path:
    (root / ".git" / "refs" / "heads").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text(head + "\n")
    src = root / "src" / "2026"
    src.mkdir(parents=True)
    return src


def test_revision_of_a_branch(tmp_path: Path) -> None:
    src = _repo(tmp_path, "ref: refs/heads/main")
    (tmp_path / ".git" / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert source_revision(src) == COMMIT


def test_revision_of_a_packed_branch_and_of_a_detached_head(tmp_path: Path) -> None:
    src = _repo(tmp_path / "packed", "ref: refs/heads/main")
    (tmp_path / "packed" / ".git" / "packed-refs").write_text(
        f"# pack-refs with: peeled fully-peeled sorted\n{OTHER} refs/heads/other\n{COMMIT} refs/heads/main\n"
    )
    assert source_revision(src) == COMMIT
    assert source_revision(_repo(tmp_path / "detached", COMMIT)) == COMMIT


def test_revision_of_a_linked_worktree(tmp_path: Path) -> None:
    main = tmp_path / "main"
    (main / ".git" / "refs" / "heads").mkdir(parents=True)
    (main / ".git" / "refs" / "heads" / "feature").write_text(COMMIT)
    worktree_git = main / ".git" / "worktrees" / "wt"
    worktree_git.mkdir(parents=True)
    (worktree_git / "HEAD").write_text("ref: refs/heads/feature\n")
    (worktree_git / "commondir").write_text("../..\n")
    checkout = tmp_path / "wt"
    (checkout / "goals").mkdir(parents=True)
    (checkout / ".git").write_text(f"gitdir: {worktree_git}\n")
    assert source_revision(checkout / "goals") == COMMIT


def test_no_revision_outside_a_checkout_or_on_an_unborn_branch(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert source_revision(plain) is None
    assert source_revision(_repo(tmp_path / "unborn", "ref: refs/heads/main")) is None
    assert source_revision(_repo(tmp_path / "escape", "ref: refs/../../../etc/passwd")) is None
    assert source_revision(_repo(tmp_path / "junk", "not a ref")) is None


def test_title_page_and_typst_inputs_carry_build_time_revision_rfc_and_author() -> None:
    built = datetime(2026, 2, 25, 6, 13, 20, tzinfo=UTC)
    meta = PdfMeta("Rust Project Goals 2026", "2026", "3935", "2026-02-23", 66, built=built, revision=COMMIT)
    page = typeset.title_page(meta)
    assert page["slate-built"] == "2026-02-25 06:13 UTC"
    assert page["slate-built-label"] == "Built"
    assert page["slate-revision"] == COMMIT
    assert page["slate-author"] == "the Rust Project Goals team"
    assert typeset.typst_inputs(meta) == {
        "slate-author": "the Rust Project Goals team",
        "slate-built": "2026-02-25T06:13:20Z",
        "slate-rfc-url": "https://github.com/rust-lang/rfcs/pull/3935",
        "slate-revision": COMMIT,
    }
    assert typeset._timestamp(meta) == 1772000000


def test_a_revision_that_is_not_hexadecimal_is_left_out() -> None:
    meta = PdfMeta("T", "2026", "0000", None, 1, revision='"); #read("/etc/passwd")')
    assert "slate-revision" not in typeset.title_page(meta)
    assert typeset.typst_inputs(meta) == {"slate-author": "the Rust Project Goals team"}


# ---------------------------------------------------------------------------------------------------------------
# The time the PDF states without SOURCE_DATE_EPOCH: the commit date of the sources in git, else now.

COMMITTED = "1771000000"  # 2026-02-13 16:26:40 UTC


def _committed_copy(tmp_path: Path) -> Path:
    """The example slate as a git repository with one commit of a fixed date; the period folder."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "goals"
    shutil.copytree(ROOT / "goals", root)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "slate"]):
        git(root, *args, date=f"@{COMMITTED} +0000")
    return root / "src" / "2027"


def test_without_source_date_epoch_a_git_checkout_states_its_commit_date(tmp_path: Path) -> None:
    src = _committed_copy(tmp_path)
    assert pdf_time(src, {}) == (datetime.fromtimestamp(int(COMMITTED), UTC), True)
    assert pdf_time(src, {"SOURCE_DATE_EPOCH": "1772000000"}) == (datetime(2026, 2, 25, 6, 13, 20, tzinfo=UTC), False)
    built, is_revision = pdf_time(tmp_path, {})  # not in git: the time of the build
    assert not is_revision and abs((datetime.now(UTC) - built).total_seconds()) < 60
    meta = PdfMeta(
        "T", "2027", "0000", None, 1, built=datetime.fromtimestamp(int(COMMITTED), UTC), built_is_revision=True
    )
    assert typeset.title_page(meta)["slate-built-label"] == "Revision date"


@pytest.mark.slow
def test_two_pdf_builds_of_one_commit_are_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("typst")
    pytest.importorskip("pypandoc")
    src = _committed_copy(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdfs = []
    for n, now in enumerate(("2030-01-01T00:00:00", "2031-06-15T12:34:56")):  # the clock differs between builds
        monkeypatch.setattr(provenance, "_now", lambda now=now: datetime.fromisoformat(now).replace(tzinfo=UTC))
        out = tmp_path / f"out{n}"
        assert main(["build", str(src), "--format", "md,pdf", "-o", str(out), "-q"]) == 0
        pdfs.append((out / "rfc.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    # outside git, the clock is what the PDF states: the same check then tells the builds apart
    shutil.rmtree(src.parent.parent / ".git")
    monkeypatch.setattr(provenance, "_now", lambda: datetime(2030, 1, 1, tzinfo=UTC))
    assert main(["build", str(src), "--format", "md,pdf", "-o", str(tmp_path / "nogit"), "-q"]) == 0
    assert (tmp_path / "nogit" / "rfc.pdf").read_bytes() != pdfs[0]
