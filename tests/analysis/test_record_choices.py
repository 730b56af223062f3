"""The choices the assistants make, as the readers take them: a header row, a role the record
does not have, the meaning of an action word, an events table's sheet and header row; each
comes back in the settings and replays; and which of the three inputs a dropped table is."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.treatment.events import read_events
from analysis.treatment.medications import read_administrations
from analysis.treatment.recognise import EVENTS, INFUSIONS, LABS, table_kind
from analysis.treatment.settings import EventImportSettings

DATA = Path(__file__).resolve().parents[1] / "data"
DAYS = [datetime(2022, 9, 6, 9, 30), datetime(2022, 9, 27, 9, 30), datetime(2022, 10, 18, 9, 30)]


def _record(tmp_path, words) -> Path:
    path = tmp_path / "mar.csv"
    lines = ["Ward record", "", "Medication,Administered,Action,Dose"]
    lines += [f"Privigen 10%,{t:%Y-%m-%d %H:%M},{w},80 g" for t, w in zip(DAYS, words, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unknown_action_word_is_listed_skipped_and_counted_once_given_its_meaning(tmp_path):
    path = _record(tmp_path, ["Given", "Erledigt", "Given"])
    meds = read_administrations(path)
    assert [a.time for a in meds.administrations] == [DAYS[0], DAYS[2]]
    assert meds.actions == (("Given", 2, "start"), ("Erledigt", 1, "unknown"))
    assert any("'Erledigt'" in s.reason for s in meds.skipped)

    told = read_administrations(path, actions={"erledigt": "start"})  # compared folded, as the reader does
    assert [a.time for a in told.administrations] == DAYS
    assert told.actions[1] == ("Erledigt", 1, "start")
    assert told.settings.actions == {"erledigt": "start"}
    replayed = read_administrations(path, settings=told.settings)
    assert replayed.administrations == told.administrations

    held = read_administrations(path, actions={"Erledigt": "not given"})
    assert [a.time for a in held.administrations] == [DAYS[0], DAYS[2]]
    assert any("not given" in s.reason for s in held.skipped)
    with pytest.raises(InputError, match="unknown action meaning 'maybe'"):
        read_administrations(path, actions={"Erledigt": "maybe"})


def test_the_header_row_is_taken_as_given_and_kept(tmp_path):
    path = _record(tmp_path, ["Given"] * 3)
    meds = read_administrations(path, header_row=3)
    assert meds.detection.header_row == 3 and meds.settings.header_row == 3
    assert len(meds.administrations) == 3
    with pytest.raises(InputError, match=r"in row 1 .*Columns found"):
        read_administrations(path, header_row=1)


def test_a_role_named_with_no_heading_is_one_the_record_does_not_have(tmp_path):
    path = _record(tmp_path, ["Given", "Erledigt", "Given"])
    without = read_administrations(path, columns={"action": ""})
    assert "action" not in dict(without.detection.columns)
    assert [a.time for a in without.administrations] == DAYS  # every row a dose, without the word column
    assert without.settings.columns == {"action": ""}
    with pytest.raises(InputError, match="no column for the when role"):
        read_administrations(path, columns={"when": ""})


def test_an_events_table_below_a_long_letterhead_is_read_from_the_row_given():
    path = DATA / "events" / "long_preamble.csv"
    with pytest.raises(InputError, match=r"Columns found in row 33: 'Date', 'Event', 'Type'"):
        read_events(path)
    table = read_events(path, header_row=33)
    assert [e.kind for e in table] == ["infection", "fever"]
    assert table.settings.header_row == 33 and table.header_row == 33
    assert dict(table.columns_read) == {"start": "Date", "label": "Event", "kind": "Type"}
    assert read_events(path, settings=table.settings).events == table.events
    named = read_events(path, columns={"start": "Date"})  # a named heading is looked for further down
    assert named.events == table.events


def test_an_events_table_on_another_sheet_and_a_role_it_does_not_have(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Nothing here but a note", "about the patient"])
    sheet = book.create_sheet("Events")
    sheet.append(["Problem", "Noted", "Resolved"])
    sheet.append(["Pneumonia", datetime(2022, 10, 18), datetime(2022, 10, 30)])
    book.save(tmp_path / "events.xlsx")
    with pytest.raises(InputError):
        read_events(tmp_path / "events.xlsx")
    table = read_events(tmp_path / "events.xlsx", settings=EventImportSettings(sheet="Events"))
    assert [(e.kind, e.end) for e in table] == [("infection", datetime(2022, 10, 30))]
    no_end = read_events(tmp_path / "events.xlsx", settings=EventImportSettings(sheet="Events", columns={"end": ""}))
    assert [e.end for e in no_end] == [None]
    with pytest.raises(InputError, match="has no sheet 'Other'"):
        read_events(tmp_path / "events.xlsx", sheet="Other")


def test_the_project_schema_keeps_the_new_choices(tmp_path):
    from analysis.project.schema import ImportModel

    model = ImportModel.model_validate({"infusions": {"header_row": 3, "actions": {"erledigt": "start"}},
                                        "events": {"sheet": "Events", "header_row": 33}})
    assert model.infusions.actions == {"erledigt": "start"} and model.events.header_row == 33
    with pytest.raises(ValueError):
        ImportModel.model_validate({"infusions": {"actions": {"erledigt": "perhaps"}}})


@pytest.mark.parametrize("folder, kind", [("treatment", INFUSIONS), ("events", EVENTS), ("layouts", LABS),
                                          ("formats", LABS), ("lab_corpus", LABS),
                                          ("treatment_corpus", INFUSIONS)])
def test_every_corpus_table_is_recognised_as_what_it_is(folder, kind):
    files = [p for p in sorted((DATA / folder).iterdir()) if p.is_file() and p.suffix not in (".json", ".md")]
    wrong = {p.name: table_kind(p) for p in files if table_kind(p) != kind}
    assert wrong == {}
    assert table_kind(DATA / "ivig-mmn" / "events.csv") == EVENTS
    expected = json.loads((DATA / "treatment" / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) >= 30


def test_a_record_whose_dates_read_both_ways_names_the_option_that_decides(tmp_path):
    """h18's trial: an Italian cabinet log of 28-day cycles, every day 12 or less, was refused with
    'choose the order' and no word of how, on the command line."""
    from analysis.errors import ChoiceRequired

    path = tmp_path / "log.csv"
    path.write_text("Data/Ora;Farmaco;Movimento;Dose;UdM\n06/09/2022 09:00;RITUXIMAB 500 MG;Prelievo;700;mg\n"
                    "04/10/2022 09:00;RITUXIMAB 500 MG;Prelievo;700;mg\n", encoding="utf-8")
    with pytest.raises(ChoiceRequired) as err:
        read_administrations(path)
    assert err.value.kind == "date_order" and "--date-order DMY" in str(err.value)
    assert [a.time.month for a in read_administrations(path, date_order="DMY").administrations] == [9, 10]
