"""Outputs never land on an input, are written whole, and every fault of the disk is one message."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import files
from analysis.errors import InputError
from analysis.files import atomic_write_bytes, note_input, remove_stale_temporaries

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "data" / "ivig-mmn"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text("Date,ANC\n2022-09-06,1.2\n")
    note_input(path)
    return path


def test_an_input_is_refused_under_its_own_name(source):
    with pytest.raises(InputError, match=r"labs\.csv: is one of the files this review was read from"):
        atomic_write_bytes(source, b"figure", "figure")
    assert source.read_text().startswith("Date,ANC")


def test_an_input_is_refused_through_another_spelling_a_hard_link_and_a_symlink(source, tmp_path):
    (tmp_path / "sub").mkdir()
    os.link(source, tmp_path / "hard.csv")
    os.symlink(source, tmp_path / "soft.png")
    for name in (tmp_path / "sub" / ".." / "labs.csv", tmp_path / "hard.csv", tmp_path / "soft.png"):
        with pytest.raises(InputError, match="never writes over its inputs"):
            atomic_write_bytes(name, b"figure", "figure")
    assert source.read_text().startswith("Date,ANC")
    assert (tmp_path / "soft.png").is_symlink()


@pytest.mark.skipif(not files.CASE_INSENSITIVE, reason="case-insensitive file systems only")
def test_an_input_is_refused_in_another_case(source):
    with pytest.raises(InputError, match="never writes over its inputs"):
        atomic_write_bytes(source.with_name("LABS.CSV"), b"figure", "figure")


def test_a_project_may_replace_itself_but_not_a_source(source, tmp_path):
    project = tmp_path / "case.nadir"
    project.write_text("{}")
    note_input(project, "project")
    atomic_write_bytes(project, b"{ }", "project", protect=("source",))
    assert project.read_bytes() == b"{ }"
    with pytest.raises(InputError, match="never writes over"):
        atomic_write_bytes(project, b"png", "figure")  # a figure may not replace the project
    with pytest.raises(InputError, match="never writes over"):
        atomic_write_bytes(source, b"{}", "project", protect=("source",))


def test_a_symlinked_output_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.png"
    target.write_bytes(b"old")
    link = tmp_path / "figure.png"
    os.symlink(target, link)
    atomic_write_bytes(link, b"new", "figure")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_a_device_or_folder_as_output_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a file"):
        atomic_write_bytes(tmp_path, b"x", "figure")
    if Path("/dev/full").exists():
        with pytest.raises(InputError, match="full: is a device or a pipe, not a file"):
            atomic_write_bytes(Path("/dev/full"), b"x", "figure")


def test_a_device_or_folder_offered_as_an_input_is_still_named_as_such_when_it_is_the_output(tmp_path):
    # The fuzz run offers /dev/full and folders as lab exports; the reader refuses them, and they
    # must not be remembered as inputs (the process-wide list outlives the test that read them).
    note_input(tmp_path)
    with pytest.raises(InputError, match="is a folder, not a file"):
        atomic_write_bytes(tmp_path, b"x", "figure")
    if Path("/dev/full").exists():
        note_input("/dev/full")
        with pytest.raises(InputError, match="full: is a device or a pipe, not a file"):
            atomic_write_bytes(Path("/dev/full"), b"x", "figure")


def test_a_full_disk_is_a_message_the_old_file_stays_and_no_temporary_is_left(tmp_path, monkeypatch):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    old = tmp_path / "figure.png"
    old.write_bytes(b"previous figure")
    real_mkstemp = files.tempfile.mkstemp

    def full_disk(**kwargs):  # the temporary file is real; its descriptor writes to /dev/full
        fd, name = real_mkstemp(**kwargs)
        os.dup2(os.open("/dev/full", os.O_WRONLY), fd)
        return fd, name

    monkeypatch.setattr(files.tempfile, "mkstemp", full_disk)
    with pytest.raises(InputError, match="could not be saved: the disk is full; the previous figure is unchanged"):
        atomic_write_bytes(old, b"x" * 100_000, "figure")
    assert old.read_bytes() == b"previous figure"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="Linux /sys")
def test_permission_denied_is_a_message():
    with pytest.raises(InputError, match="could not be saved: permission denied"):
        atomic_write_bytes(Path("/sys/nadir-figure.png"), b"x", "figure")


def test_a_read_only_folder_is_a_message(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "table.csv").write_text("previous")
    if os.geteuid() == 0:  # root ignores permission bits; the immutable flag stops it too
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("cannot make a folder read-only for root here")
    else:
        folder.chmod(0o555)
    try:
        refused = r"could not be saved: (permission denied|the disk or folder is read-only)"
        with pytest.raises(InputError, match=refused):
            atomic_write_bytes(folder / "table.csv", b"new", "table")
        assert (folder / "table.csv").read_text() == "previous"
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)])
        folder.chmod(0o755)
    assert leftovers(folder) == []


def test_a_name_too_long_is_a_message(tmp_path):
    with pytest.raises(InputError, match="300 characters long; a file name can have at most 255"):
        atomic_write_bytes(tmp_path / ("f" * 296 + ".png"), b"x", "figure")
    deep = tmp_path / ("d" * 200) / ("e" * 200)
    with pytest.raises(InputError, match="folder to save the figure in does not exist"):
        atomic_write_bytes(deep / "figure.png", b"x", "figure")


def test_stale_temporaries_from_a_crash_are_removed_recent_ones_kept(tmp_path):
    stale = tmp_path / ".nadir.case.nadir.k3j2.tmp"
    old_style = tmp_path / ".case.nadir.x7y8.tmp"
    recent = tmp_path / ".nadir.figure.png.a1b2.tmp"
    mine = tmp_path / "notes.tmp"
    for p in (stale, old_style, recent, mine):
        p.write_text("source paths inside")
    hour_ago = time.time() - 3600
    for p in (stale, old_style, mine):
        os.utime(p, (hour_ago, hour_ago))
    assert remove_stale_temporaries(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([recent.name, mine.name])


def run_nadir(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_render_refuses_to_write_over_any_input_whatever_its_name(tmp_path):
    """The issue's case: exports misnamed with figure suffixes (Nadir reads by content)."""
    for source, name in (("labs.xlsx", "labs.png"), ("infusions.xlsx", "infusions.pdf"), ("events.csv", "events.svg")):
        shutil.copy(CASE / source, tmp_path / name)
    os.link(tmp_path / "labs.png", tmp_path / "copy.tiff")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for output in ("labs.png", "./infusions.pdf", "../" + tmp_path.name + "/events.svg", "copy.tiff"):
        proc = run_nadir("render", "labs.png", "--infusions", "infusions.pdf", "--events", "events.svg",
                         "-o", output, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert "never writes over its inputs" in proc.stderr and "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_table_export_refuses_a_csv_source(tmp_path):
    from analysis.case import load_case
    from analysis.figure.tables import export_cycles

    events = tmp_path / "events.csv"
    shutil.copy(CASE / "events.csv", events)
    case = load_case(CASE / "labs.xlsx", CASE / "infusions.xlsx", events)
    before = events.read_bytes()
    with pytest.raises(InputError, match="never writes over its inputs"):
        export_cycles(list(case.cycles), case.summary, case.rules, events)
    assert events.read_bytes() == before


def test_saving_a_project_over_a_source_is_refused(tmp_path):
    from analysis.case import load_case
    from analysis.project.store import save_project

    labs = tmp_path / "labs.xlsx"
    shutil.copy(CASE / "labs.xlsx", labs)
    case = load_case(labs, CASE / "infusions.xlsx")
    before = labs.read_bytes()
    with pytest.raises(InputError, match="never writes over its inputs"):
        save_project(labs, case, sources={"labs": labs, "infusions": CASE / "infusions.xlsx"})
    assert labs.read_bytes() == before
    save_project(tmp_path / "case.nadir", case, sources={"labs": labs})
    assert leftovers(tmp_path) == []
