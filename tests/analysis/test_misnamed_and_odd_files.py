"""Files as an attacker or a careless download leaves them: a workbook under another format's
name, text in UTF-16 without its byte-order mark or in UTF-32, a link that points round in a
loop. Each is read by what it holds, or refused in one sentence naming the file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.importing.observations import import_labs
from analysis.importing.workbook import open_workbook, utf16_without_bom
from analysis.treatment.events import read_events

DATA = Path(__file__).resolve().parents[1] / "data"
LABS = DATA / "ivig-mmn" / "labs.xlsx"
ODS = DATA / "layouts" / "libreoffice.ods"
LEGACY = DATA / "formats" / "legacy.xls"
EVENTS = DATA / "ivig-mmn" / "events.csv"


@pytest.mark.parametrize(("source", "name"), [(LABS, "labs.xls"), (ODS, "labor.xlsx"), (LEGACY, "legacy.xlsx"),
                                              (LABS, "labs.ods")])
def test_a_workbook_under_another_formats_name_is_read_by_its_content(source, name, tmp_path):
    misnamed = tmp_path / name
    shutil.copyfile(source, misnamed)
    assert len(import_labs(misnamed).observations) == len(import_labs(source).observations) > 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32"])
def test_text_in_utf16_without_a_bom_or_in_utf32_is_read(codec, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS.read_text(encoding="utf-8").encode(codec))
    assert read_events(path) == read_events(EVENTS)


def test_utf16_is_told_only_from_text_that_is_mostly_latin():
    assert utf16_without_bom("Date,Event\r\n2022-10-18,Fieber".encode("utf-16-le")) == "utf-16-le"
    assert utf16_without_bom("Date,Event\r\n2022-10-18,Fieber".encode("utf-16-be")) == "utf-16-be"
    assert utf16_without_bom(b"Date,Event\r\n2022-10-18,Fieber") is None
    assert utf16_without_bom(bytes(range(256))) is None
    assert utf16_without_bom(b"\x00" * 64) is None


def test_a_loop_of_links_is_a_message(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    os.symlink(b, a)
    os.symlink(a, b)
    with pytest.raises(InputError, match=r"a\.csv: is a shortcut \(symbolic link\) to a file that does not exist"):
        open_workbook(a)
    dangling = tmp_path / "gone.xlsx"
    os.symlink(tmp_path / "deleted.xlsx", dangling)
    with pytest.raises(InputError, match=r"gone\.xlsx: is a shortcut"):
        open_workbook(dangling)
