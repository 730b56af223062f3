"""Events tables and hand-made events."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from analysis.errors import ChoiceRequired, InputError
from analysis.treatment.events import event_dates, event_kind, event_span, make_event, read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"


def write_csv(tmp_path: Path, text: str, name="events.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_seed_case_events():
    events = read_events(DATA / "events.csv")
    assert len(events) == 1
    e = events[0]
    assert e.kind == "infection"
    assert e.label == "COVID-19 infection (PCR positive)"
    assert e.start == datetime(2022, 10, 18) and e.end is None


@pytest.mark.parametrize(
    "word, kind",
    [
        ("infection", "infection"), ("Infektion", "infection"), ("COVID-19", "infection"),
        ("Fever", "fever"), ("febrile neutropenia", "fever"), ("G-CSF", "gcsf"), ("gcsf", "gcsf"),
        ("Filgrastim 300 mcg", "gcsf"), ("pegfilgrastim", "gcsf"), ("medication", "medication"),
        ("Hospitalisation", "hospitalisation"), ("hospitalization", "hospitalisation"),
        ("Admission", "hospitalisation"), ("other", "other"), ("routine visit", "other"),
    ],
)
def test_kind_words(word, kind):
    assert event_kind(word) == kind


def test_range_columns_and_label_inference(tmp_path):
    p = write_csv(tmp_path, "Start,End,Description\n2022-03-01,2022-03-05,Pneumonia\n"
                            "2022-04-02,,Filgrastim 300 mcg\n,,\n2022-05-01,2022-05-03,Dentist\n")
    events = read_events(p)
    assert [(e.kind, e.start.date(), e.end.date() if e.end else None) for e in events] == [
        ("infection", date(2022, 3, 1), date(2022, 3, 5)),
        ("gcsf", date(2022, 4, 2), None),
        ("other", date(2022, 5, 1), date(2022, 5, 3)),
    ]


def test_range_in_one_cell_and_unknown_type_word_falls_back_to_label(tmp_path):
    p = write_csv(tmp_path, "Date;Event;Type\n2022-10-18 to 2022-10-25;COVID-19;whatever\n")
    (e,) = read_events(p)
    assert e.kind == "infection" and e.end == datetime(2022, 10, 25)


def test_excel_events_with_title_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Events for the case report"])
    ws.append([])
    ws.append(["Datum", "Ereignis", "Typ"])
    ws.append([datetime(2022, 10, 18), "COVID-19", "Infektion"])
    ws.append([datetime(2022, 11, 2), "Neupogen", "G-CSF"])
    p = tmp_path / "events.xlsx"
    wb.save(p)
    events = read_events(p)
    assert [(e.kind, e.start) for e in events] == [
        ("infection", datetime(2022, 10, 18)), ("gcsf", datetime(2022, 11, 2))]


def test_bad_date_names_file_and_row(tmp_path):
    p = write_csv(tmp_path, "Date,Event,Type\n2022-10-18,COVID,infection\nyesterday,fever,fever\n")
    with pytest.raises(InputError) as err:
        read_events(p)
    assert "events.csv" in str(err.value) and "row 3" in str(err.value)


def test_missing_date_names_the_row(tmp_path):
    p = write_csv(tmp_path, "Date,Event,Type\n,COVID,infection\n")
    with pytest.raises(InputError, match="row 2"):
        read_events(p)


def test_end_before_start(tmp_path):
    p = write_csv(tmp_path, "Start,End,Event\n2022-10-18,2022-10-11,COVID\n")
    with pytest.raises(InputError, match="row 2.*before"):
        read_events(p)


def test_ambiguous_text_dates_ask_for_the_order(tmp_path):
    p = write_csv(tmp_path, "Date,Event\n03/04/2022,fever\n05/06/2022,COVID\n")
    with pytest.raises(ChoiceRequired) as err:
        read_events(p)
    assert err.value.kind == "date_order" and err.value.path.name == "events.csv"
    assert "--date-order DMY" in str(err.value)  # the refusal names the option that helps
    events = read_events(p, date_order="DMY")
    assert events[0].start == datetime(2022, 4, 3)


def test_day_first_dates_decided_by_the_column(tmp_path):
    p = write_csv(tmp_path, "Date,Event\n03.04.2022,fever\n25.06.2022,COVID\n")
    assert [e.start for e in read_events(p)] == [datetime(2022, 4, 3), datetime(2022, 6, 25)]


def test_no_header(tmp_path):
    p = write_csv(tmp_path, "foo,bar\n1,2\n")
    with pytest.raises(InputError, match="no events table"):
        read_events(p)


def test_make_event_validates_kind_and_dates():
    e = make_event("infection", "COVID-19", "2022-10-18")
    assert e.start == datetime(2022, 10, 18) and e.end is None
    assert make_event("G-CSF", "filgrastim", date(2022, 1, 1)).kind == "gcsf"
    with pytest.raises(InputError, match="Unknown event type"):
        make_event("party", "birthday", date(2022, 1, 1))
    with pytest.raises(InputError, match="before it starts"):
        make_event("infection", "x", date(2022, 1, 5), date(2022, 1, 1))
    with pytest.raises(InputError):
        make_event("infection", "x", "18/10/2022")


def test_event_span_covers_whole_days():
    e = make_event("infection", "x", date(2022, 10, 18), date(2022, 10, 20))
    assert event_span(e) == (datetime(2022, 10, 18), datetime(2022, 10, 21))
    assert event_dates(e) == (date(2022, 10, 18), date(2022, 10, 20))
    single = make_event("fever", "x", date(2022, 10, 18))
    assert event_dates(single) == (date(2022, 10, 18), date(2022, 10, 18))


@pytest.mark.parametrize(("text", "kind"), [
    ("Agranulocytosis secondary to cancer chemotherapy", "other"),  # the cause is no medication given
    ("Neutropenie nach Chemotherapie", "other"),
    ("Antibiotic therapy after dental surgery", "medication"),  # the therapy itself is the event
    ("Pneumonia after chemotherapy", "infection"),  # an infection named with its cause did happen
    ("Gordelroos", "infection"), ("Gürtelrose", "infection"), ("Zona thoracique", "infection"),
    ("Pneumopathie communautaire", "infection"),
    # An infection named with its fever is the infection (it leaves the cycle out by default);
    # a fever whose infection is denied stays a fever.
    ("Harnwegsinfekt, Fieber 38,6 °C", "infection"), ("Fever and cough, influenza A", "infection"),
    ("Fieber, kein Infekt", "fever"), ("Fever without infection", "fever"), ("Fieber 39,1 °C", "fever"),
])
def test_kind_from_description(text, kind):
    assert event_kind(text) == kind


def test_a_generic_treatment_category_and_a_gcsf_description(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("Date,Description,Category\n2022-11-09,Pegfilgrastim 6 mg,Treatment\n"
                    "2022-11-10,Ceftriaxone 2 g,Treatment\n", encoding="utf-8")
    assert [e.kind for e in read_events(path)] == ["gcsf", "medication"]


def test_icd10_codes_name_the_event_type_and_a_code_of_no_type_leaves_it_to_the_text():
    """ICD-10 (WHO, -CM, -GM) codes in a category column (issue 10): the infectious chapter, COVID-19,
    acute respiratory infections, a urinary tract infection, fever; a vaccination is a medication; a
    code of anything else (D70 agranulocytosis) says nothing, and a word such as "B12 deficiency" is
    no code."""
    from analysis.treatment.event_kinds import icd_kind, kind_of

    assert [kind_of(c) for c in ("J06.9", "U07.1", "A41.9", "J189", "N39.0", "R50.9", "Z23")] == [
        "infection", "infection", "infection", "infection", "infection", "fever", "medication"]
    assert icd_kind("D70.1") == "" and kind_of("D70.1 febrile Neutropenie") == "fever"
    assert icd_kind("B12 deficiency") is None and icd_kind("G-CSF") is None and icd_kind("C1D15") is None


def test_a_start_and_a_duration_give_the_end(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Onset;Length;What\n2022-09-20;3 days;cold\n2022-10-03;48 h;fever\n"
                    "2022-11-14;2 Wochen;Aufnahme\n2022-12-01;1 d;Fieber\n", encoding="utf-8")
    got = read_events(path)
    assert [(e.start.isoformat(), e.end.isoformat() if e.end else None) for e in got] == [  # 48 h: 3rd, 4th
        ("2022-09-20T00:00:00", "2022-09-22T00:00:00"), ("2022-10-03T00:00:00", "2022-10-04T00:00:00"),
        ("2022-11-14T00:00:00", "2022-11-27T00:00:00"), ("2022-12-01T00:00:00", None)]
