"""All outputs or none (issue 22, item 6): a build replaces rfc.md, pr-body.md and rfc.pdf together or not at all,
builds into one folder are serialised, and an output replaces only a regular file (never a symlink, a FIFO or a
device: as root, `teams export -o /dev/null` must not replace /dev/null)."""

from __future__ import annotations

import fcntl
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from rust_goals_slate.cli.main import main
from rust_goals_slate.errors import OutputError, ToolError
from rust_goals_slate.pdf import typeset as pdf
from rust_goals_slate.pipeline.write import write_atomic, write_outputs
from tests.support import ROOT

EXAMPLE = ROOT / "goals"
SRC = EXAMPLE / "src" / "2027"
OLD = {"rfc.md": b"old rfc\n", "pr-body.md": b"old body\n", "rfc.pdf": b"%PDF-old\n"}
Capsys = pytest.CaptureFixture[str]


def _old_outputs(out: Path) -> None:
    out.mkdir(exist_ok=True)
    for name, data in OLD.items():
        (out / name).write_bytes(data)


def _build(out: Path, *extra: str) -> int:
    args = ["build", str(SRC), "--teams", str(EXAMPLE / "teams.yaml"), "--out", str(out), "--rfc-number", "4321"]
    return main([*args, *extra])


def test_a_failed_pdf_leaves_every_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    def fail(*_: object, **__: object) -> bytes:
        raise ToolError("typst failed:\n  error: something in the generated source")

    monkeypatch.setattr(pdf, "run_pandoc", lambda args, text: "= Typst")
    monkeypatch.setattr(pdf, "run_typst", fail)
    out = tmp_path / "out"
    _old_outputs(out)
    assert _build(out, "--format", "md,pdf") == 1
    # on main: rfc.md and pr-body.md were new, rfc.pdf old, and no summary line was printed
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD
    err = capsys.readouterr().err
    assert "src/2027: error: typst failed:\n  error: something in the generated source [pdf-failed]" in err
    assert err.rstrip().splitlines()[-1].startswith("slate build: 1 error, 0 warnings; nothing was written; team data:")


def test_a_successful_build_replaces_all_three(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "run_pandoc", lambda args, text: "= Typst")
    monkeypatch.setattr(pdf, "run_typst", lambda *_, **__: b"%PDF-new\n")
    out = tmp_path / "out"
    _old_outputs(out)
    assert _build(out, "--format", "md,pdf", "--quiet") == 0
    assert (out / "rfc.pdf").read_bytes() == b"%PDF-new\n"
    assert (out / "rfc.md").read_bytes().startswith(b"- Feature Name: ")
    assert (out / "pr-body.md").read_bytes() != OLD["pr-body.md"]
    assert sorted(p.name for p in out.iterdir()) == sorted(OLD)  # no temporary file, no lock file left


def test_write_outputs_replaces_none_when_one_target_is_special(tmp_path: Path) -> None:
    _old_outputs(tmp_path)
    (tmp_path / "rfc.pdf").unlink()
    os.mkfifo(tmp_path / "rfc.pdf")
    with pytest.raises(OutputError, match=r"rfc\.pdf is a FIFO; slate replaces only regular files"):
        write_outputs([(tmp_path / "rfc.md", "new"), (tmp_path / "rfc.pdf", b"%PDF-new")])
    assert (tmp_path / "rfc.md").read_bytes() == OLD["rfc.md"]
    assert stat.S_ISFIFO(os.lstat(tmp_path / "rfc.pdf").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pr-body.md", "rfc.md", "rfc.pdf"]


def test_builds_into_one_folder_wait_for_each_other(tmp_path: Path) -> None:
    """While another build holds the folder's lock, a build's outputs are ready but not moved into place."""
    _old_outputs(tmp_path)
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        writer = threading.Thread(
            target=write_outputs, args=([(tmp_path / "rfc.md", "new rfc"), (tmp_path / "pr-body.md", "new body")],)
        )
        writer.start()
        time.sleep(0.3)
        assert (tmp_path / "rfc.md").read_bytes() == OLD["rfc.md"]  # on main: already replaced
        assert writer.is_alive()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    writer.join(5)
    assert not writer.is_alive()
    assert (tmp_path / "rfc.md").read_text() == "new rfc" and (tmp_path / "pr-body.md").read_text() == "new body"


def test_build_refuses_to_replace_a_symlink(tmp_path: Path, capsys: Capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("not slate's\n")
    (out / "rfc.md").symlink_to(elsewhere)
    assert _build(out) == 2
    assert "rfc.md is a symbolic link; slate replaces only regular files" in capsys.readouterr().err
    assert (out / "rfc.md").is_symlink() and elsewhere.read_text() == "not slate's\n"
    assert sorted(p.name for p in out.iterdir()) == ["rfc.md"]


def test_teams_export_refuses_a_fifo(tmp_path: Path, capsys: Capsys) -> None:
    fifo = tmp_path / "teams.yaml"
    os.mkfifo(fifo)
    assert main(["teams", "export", str(EXAMPLE / "teams.yaml"), "-o", str(fifo)]) == 2
    assert f"slate: -o: {fifo} is a FIFO; slate replaces only regular files" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # on main: replaced by a regular file


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_teams_export_as_root_refuses_a_device(tmp_path: Path, capsys: Capsys) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    assert main(["teams", "export", str(EXAMPLE / "teams.yaml"), "-o", str(null)]) == 2
    assert "is a character device; slate replaces only regular files" in capsys.readouterr().err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_the_writer_itself_refuses_special_files(tmp_path: Path) -> None:
    """The check before anything is read can be raced; the writer checks again."""
    link = tmp_path / "teams.yaml"
    link.symlink_to(tmp_path / "target.yaml")
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_atomic(link, "x")
    assert link.is_symlink() and not (tmp_path / "target.yaml").exists()
