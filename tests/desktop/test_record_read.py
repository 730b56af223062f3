"""The one read an infusion or events assistant shows (desktop/dialogs/record_read.py, shared by
infusion_reader and events_reader): the sheet, its first rows, header row, headings, the roles
read and the preview's tints; a file whose content cannot be read keeps its error and still
shows its rows. No widgets: the readers run in a worker thread."""

from __future__ import annotations

from pathlib import Path

from desktop.dialogs.events_reader import read_event_table
from desktop.dialogs.infusion_reader import read_infusions

CASE = Path(__file__).parents[1] / "data" / "ivig-mmn"


def test_the_events_table_is_shown_with_its_roles_tinted():
    read = read_event_table(CASE / "events.csv", {})
    assert read.error is None and read.sheets == [""] and read.sheet == ""
    assert read.header_index == 0 and read.headings == ["Date", "Event", "Type"]
    assert read.roles == {"start": "Date", "label": "Event", "kind": "Type"}
    assert read.tints == {0: "time", 1: "test", 2: "result"}


def test_the_infusion_record_is_shown_with_the_sheet_and_columns_it_was_read_from():
    read = read_infusions(CASE / "infusions.xlsx", {})
    assert read.error is None and read.meds is not None and read.sheet == "MAR"
    assert read.header_index == 0 and read.headings[:3] == ["MRN", "Medication", "Administration Date/Time"]
    assert read.roles["drug"] == "Medication" and read.roles["when"] == "Administration Date/Time"
    assert read.tints[1] == "test" and read.tints[2] == "time" and read.tints[4] == "result"
    assert read.tints[0] == "unit"  # a role with no tint of its own


def test_a_file_that_is_no_infusion_record_keeps_its_error_and_shows_its_rows():
    read = read_infusions(CASE / "events.csv", {})
    assert read.meds is None and read.error is not None
    assert read.rows and read.headings == ["Date", "Event", "Type"] and read.tints == {}
