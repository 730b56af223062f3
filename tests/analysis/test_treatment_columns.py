"""Column roles by content: the same record with its columns shuffled, renamed and padded with
columns of no interest gives the same administrations (a property test), and the overrides."""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.treatment.columns import TreatmentColumns
from analysis.treatment.medications import read_administrations

DAYS = [datetime(2022, 9, 6, 9, 30) + timedelta(days=21 * k) for k in range(5)]
IVIG = "IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN"

# role -> (cell of each row, headings it may go by: synonyms in other languages, and words no
# vocabulary knows where the content alone decides)
HEADINGS = {
    "drug": ("Medication", "Drug", "Medikament", "Geneesmiddel", "Farmaco", "Item", "Xq"),
    "when": ("Administration Date/Time", "Taken Time", "Zeitpunkt", "Fecha", "Given", "Col 1"),
    "action": ("Action", "MAR Action", "Status", "Aktion", "Statut", "Stato", "Q7"),
    "dose": ("Dose", "Amount", "Dosis", "Menge", "Dosering", "Given Dose"),
    "unit": ("Unit", "Einheit", "UOM", "Unité", "U"),
    "weight": ("Weight (kg)", "Gewicht", "Poids", "Peso"),
}
EXTRA = {
    "Nurse": lambda k, j: f"RN {'ABCDE'[k % 5]}. Smith",
    "Lot": lambda k, j: f"L{k}{j}X",
    "Pulse": lambda k, j: 60 + (7 * k + j) % 30,
    "Scheduled Time": lambda k, j: DAYS[k] - timedelta(hours=2),
    "Order Status": lambda k, j: "Verified",
    "Comment": lambda k, j: "" if j else "tolerated well",
}


def _rows():
    """(role -> cell) per row: premedication, a new bag, a rate change, a stop; one dose held."""
    out = []
    for k, t in enumerate(DAYS):
        out.append({"drug": "ACETAMINOPHEN 500 MG TABLET", "when": t - timedelta(minutes=30), "action": "Given",
                    "dose": 1000, "unit": "mg", "weight": 80})
        if k == 2:
            out.append({"drug": IVIG, "when": t - timedelta(days=1), "action": "Held", "dose": 80, "unit": "g",
                        "weight": 80})
        out += [{"drug": IVIG, "when": t, "action": "New Bag", "dose": 80, "unit": "g", "weight": 80},
                {"drug": IVIG, "when": t + timedelta(hours=1), "action": "Rate Change", "dose": 80, "unit": "g",
                 "weight": 80},
                {"drug": IVIG, "when": t + timedelta(hours=4), "action": "Stopped", "dose": None, "unit": "",
                 "weight": 80}]
    return out


ROWS = _rows()


def _write(folder: Path, columns: list[tuple[str, str]], fmt: str) -> Path:
    """columns: (key, heading); key is a role or an extra column's name."""
    table = [[h for _k, h in columns]]
    for j, row in enumerate(ROWS):
        k = next(i for i, d in enumerate(DAYS) if abs((row["when"] - d).days) <= 1)
        table.append([row[key] if key in row else EXTRA[key](k, j) for key, _h in columns])
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        for r in table:
            wb.active.append(r)
        path = folder / "mar.xlsx"
        wb.save(path)
        return path
    path = folder / "mar.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else
                                  ("" if v is None else v) for v in r] for r in table])
    return path


def _summary(m):
    return [(a.time, a.product, a.dose, a.dose_unit, a.weight_kg) for a in m.administrations], len(m.skipped)


REFERENCE = ([(t, "IVIG (Privigen)", 80.0, "g", 80.0) for t in DAYS], 1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(order=["drug", "when", "action", "dose", "unit", "weight", *EXTRA], fmt="xlsx", extras={"Nurse"},
         names={"drug": "Xq", "when": "Administration Date/Time", "action": "Action", "dose": "Dose",
                "unit": "Unit", "weight": "Weight (kg)"})  # the drug, by content alone, in column A
@given(
    order=st.permutations(list(HEADINGS) + list(EXTRA)),
    names=st.fixed_dictionaries({role: st.sampled_from(words) for role, words in HEADINGS.items()}),
    extras=st.sets(st.sampled_from(list(EXTRA))),
    fmt=st.sampled_from(["xlsx", "csv"]),
)
def test_shuffled_renamed_and_extra_columns_give_the_same_administrations(order, names, extras, fmt):
    columns = [(key, names.get(key, key)) for key in order if key in HEADINGS or key in extras]
    with tempfile.TemporaryDirectory() as folder:
        m = read_administrations(_write(Path(folder), columns, fmt))
    assert _summary(m) == REFERENCE


def test_detection_names_the_columns(tmp_path):
    m = read_administrations(_write(tmp_path, [("when", "Zeitpunkt"), ("drug", "Xq"), ("action", "Q7"),
                                               ("dose", "Dose"), ("unit", "Unit"),
                                               ("Scheduled Time", "Scheduled Time")],
                                    "xlsx"))
    det = m.detection
    assert isinstance(det, TreatmentColumns) and det.layout == "long" and det.header_row == 1
    assert (det.heading("drug"), det.heading("when"), det.heading("action")) == ("Xq", "Zeitpunkt", "Q7")
    assert det.heading("scheduled") == "Scheduled Time"


def test_override_names_a_column_the_content_cannot_decide(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("When,Ward,Item,Qty\n" + "".join(f"{t:%Y-%m-%d %H:%M},Day unit,Fooglobin,80\n" for t in DAYS),
                    encoding="utf-8")
    m = read_administrations(path, columns={"drug": "Item"})
    assert m.product == "Fooglobin" and len(m.administrations) == 5
    m = read_administrations(path, columns={"drug": "Ward"})
    assert m.product == "Day Unit"


def test_a_refusal_lists_the_columns_and_the_option(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Alpha,Beta\nx,1\ny,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Columns found: 'Alpha', 'Beta'.*--infusion-column"):
        read_administrations(path)
    with pytest.raises(InputError, match="no header row with the columns drug='Gamma'"):
        read_administrations(path, columns={"drug": "Gamma"})
    with pytest.raises(InputError, match="unknown column role 'colour'"):
        read_administrations(path, columns={"colour": "Alpha"})


@pytest.mark.parametrize(("text", "number"), [("1.200,00", 1200.0), ("1,200", 1200.0), ("1,200.50", 1200.5),
                                              ("8,5", 8.5), ("1.5", 1.5), ("700", 700.0)])
def test_amounts_with_thousands_separators(text, number):
    from analysis.treatment.drugs import amount

    assert amount(text) == number


def test_a_row_counter_and_a_rate_are_no_dose(tmp_path):
    """Epic's LINE counts the rows; INFUSION_RATE holds numbers on more rows than the dose does."""
    path = tmp_path / "mar.csv"
    rows = [["LINE", "Medication", "Taken", "Action", "INFUSION_RATE", "SIG"]]
    for k, t in enumerate(DAYS):
        rows += [[2 * k + 1, IVIG, t, "Given", 50, 80],
                 [2 * k + 2, IVIG, t + timedelta(hours=1), "Rate Change", 100, ""]]
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    got = read_administrations(path)
    assert [a.dose for a in got.administrations] == [80.0] * 5
    assert got.detection.heading("dose") == "SIG"


@pytest.mark.parametrize(("word", "verdict"), [("not-done", "not given"), ("entered-in-error", "no dose"),
                                               ("in-progress", "part"), ("Onderbroken", "part"),
                                               ("interrompue", "part"), ("Return", "return"),
                                               ("Rückgabe", "return"), ("Devolución", "return"),
                                               ("Teruggave", "return"), ("Reso", "return"), ("Remove", "start"),
                                               ("Issue", "start"), ("Waste", "no dose"), ("Restock", "no dose"),
                                               ("Cancel Remove", "no dose"), ("Discrepancy", "no dose"),
                                               ("Dispense", "start"), ("on-hold", "not given"),
                                               ("Rate Increased", "part"), ("Rate Decreased", "part")])
def test_action_words_of_fhir_and_dispensing(word, verdict):
    from analysis.treatment.actions import meaning

    assert meaning(word) == verdict


@pytest.mark.parametrize(("word", "verdict"), [
    ("Não administrado", "not given"), ("Administrado", "start"), ("Nie podano", "not given"),
    ("Podano", "start"), ("Wstrzymano", "not given"), ("Has not been given", "not given"),
    ("n'a pas été administré", "not given"), ("Niet gegeven", "not given"), ("Given - no reaction", "start"),
    ("No issues, given", "start"), ("Removed", "start"), ("Bag removed", "part")])
def test_a_start_after_a_negation_is_a_dose_not_given(word, verdict):
    """A new user's Brazilian record wrote "Não administrado": read as "administrado", it was a dose."""
    from analysis.treatment.actions import meaning

    assert meaning(word) == verdict


def test_a_column_of_yes_and_no_answers_is_read_as_given_or_not():
    from analysis.treatment.actions import column_of_codes, meaning

    assert column_of_codes(["Y", "N", "Y"]) and column_of_codes(["Ja", "Nee"])
    assert not column_of_codes(["Y", "G"])  # not all of one kind
    assert meaning("Y", codes=True) == "start" and meaning("N", codes=True) == "not given"
    assert meaning("Y") == "unknown"  # a lone letter in prose is no answer


def test_a_record_of_two_patients_names_them_and_the_option(tmp_path):
    from analysis.errors import ChoiceRequired

    path = tmp_path / "two.csv"
    rows = [["MRN", "Drug", "Given", "Dose (mg)"]]
    rows += [[p, "Rituximab", f"{t:%Y-%m-%d %H:%M}", 700] for t in DAYS for p in ("A1", "B2")]
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ChoiceRequired) as err:
        read_administrations(path)
    assert "(A1, B2)" in str(err.value) and "--patient" in str(err.value)
    assert err.value.options == ["A1", "B2"]
    assert len(read_administrations(path, patient="B2").administrations) == 5


def test_a_grid_of_administration_times_points_each_dose_to_its_cell():
    data = Path(__file__).resolve().parents[1] / "data" / "treatment" / "mar_grid_times_across.xlsx"
    got = read_administrations(data)
    assert got.detection.layout == "times across" and got.detection.header_row == 3
    assert [(a.source.row, a.source.column) for a in got.administrations][:3] == [(4, "C"), (4, "D"), (4, "F")]
    assert [(s.source.row, s.source.column) for s in got.skipped] == [(4, "E")]  # the held dose
    assert any("one column per administration time" in w for w in got.warnings)


def test_a_lab_report_with_dates_across_is_no_treatment_record(tmp_path):
    path = tmp_path / "cumulative.csv"
    path.write_text("Test,01/03/2023,08/03/2023\nNeutrophils,1.2,0.8\nHemoglobin,12.1,11.9\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_administrations(path)


def test_a_mar_grid_column_chosen_by_the_heading_the_assistant_offers():
    data = Path(__file__).resolve().parents[1] / "data" / "treatment" / "mar_grid_times_across.xlsx"
    got = read_administrations(data, columns={"drug": "Order", "dose": "Dose"})
    assert len(got.administrations) == 6 and got.administrations[0].source.column == "C"
    assert got.settings.columns == {"drug": "Order", "dose": "Dose"}


def test_a_yes_no_column_beside_an_action_column_is_not_the_action(tmp_path):
    path = tmp_path / "mar.csv"
    rows = [["PRN", "Medication", "Taken Time", "Charted", "Dose"]]
    for t in DAYS:
        rows += [["N", IVIG, f"{t:%Y-%m-%d %H:%M}", "Given", 80],
                 ["Y", IVIG, f"{t + timedelta(hours=1):%Y-%m-%d %H:%M}", "Rate Change", ""]]
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    got = read_administrations(path)
    assert got.detection.heading("action") == "Charted" and len(got.administrations) == 5


def test_short_heading_words_match_as_the_whole_word_pattern_would():
    """_has_word finds what (?<![a-z])word(?![a-z]) finds, on many random headings."""
    import random
    import re

    from analysis.treatment.columns import _has_word

    rng = random.Random(10)
    for _ in range(20_000):
        text = "".join(rng.choice("ab -1é(z") for _ in range(rng.randint(0, 9)))
        word = "".join(rng.choice("ab-") for _ in range(rng.randint(1, 3)))
        expected = re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", text) is not None
        assert _has_word(text, word) is expected, (text, word)
    assert _has_word("dose (mg)", "mg") and not _has_word("mgdose", "mg") and _has_word("iv route", "iv")


def test_a_charting_entry_struck_in_error_is_no_dose(tmp_path):
    """Oracle Health writes each entry's state ("Auth (Verified)", "In Error") beside the result:
    h18's trial counted a daratumumab dose charted twice, the first struck, as two (3600 mg)."""
    path = tmp_path / "events.csv"
    rows = [["Clinical Event", "Event Date/Time", "Result", "Result Status", "Admin Dose", "Unit"]]
    for day in (6, 13, 20):
        rows.append(["daratumumab 1,800 mg SC", f"09/{day:02d}/2022 09:00", "Given", "Auth (Verified)", 1800, "mg"])
    rows.append(["daratumumab 1,800 mg SC", "09/13/2022 09:03", "Given", "In Error", 1800, "mg"])
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    got = read_administrations(path)
    assert got.detection.heading("entry") == "Result Status"
    assert [a.time.day for a in got.administrations] == [6, 13, 20]
    unread = read_administrations(path, columns={"entry": ""})  # "the record has no such column"
    assert len(unread.administrations) == 4
