"""Acceptance: every lab export layout gives the same ANC series.

The shipped files in tests/data/formats/ must give exactly the series in expected.json. To show
that detection is general rather than tuned to those files, the same eight draws are also
written here in layouts of other EHRs (Cerner, Epic flowsheet with a units row, a French CSV,
a German transposed cumulative report with a title block, 1904 serial numbers, OpenDocument,
UTF-16 tab-separated text) and must come out the same.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from analysis.errors import ChoiceRequired, InputError
from analysis.model import ANC, OBSERVATION_COLUMNS, WBC
from analysis.importing.observations import import_labs

DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = DATA / "formats"
EXPECTED = json.loads((FORMATS / "expected.json").read_text())
# The eight draws every layout holds: (time, ANC in 10^3/uL, censored)
DRAWS = [
    (datetime.fromisoformat(s["time"]), s["anc"], s["censored"])
    for s in EXPECTED["wide_flowsheet.xlsx"]["series"]
]
WBCS = [2.0, 1.5, 2.0, 2.5, 2.8, 1.4, 1.0, 2.2]


def series_of(result, analyte=ANC):
    s = result.series(analyte)
    return [
        (t.to_pydatetime(), round(float(v), 6), c)
        for t, v, c in zip(s["time"], s["value"], s["censored"])
    ]


def expected_series(name):
    return [
        (datetime.fromisoformat(s["time"]), s["anc"], s["censored"]) for s in EXPECTED[name]["series"]
    ]


# --- the shipped files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "two_patients.xlsx"))
def test_shipped_format_gives_expected_series(name):
    result = import_labs(FORMATS / name)
    assert series_of(result) == expected_series(name)
    assert tuple(result.observations.columns) == OBSERVATION_COLUMNS


def test_observation_dtypes_and_provenance():
    result = import_labs(FORMATS / "wide_flowsheet.xlsx")
    obs = result.observations
    assert str(obs["time"].dtype) == "datetime64[ns]"
    assert obs["value"].dtype == float
    assert obs["derived"].dtype == bool
    anc = result.series()
    assert list(anc["row"]) == list(range(2, 10))
    assert set(anc["column"]) == {"D"}
    assert set(anc["file"]) == {"wide_flowsheet.xlsx"}
    assert set(anc["sheet"]) == {"Flowsheet"}
    assert list(anc["text"])[6] == "<0.1"
    assert result.detection.layout == "wide"
    assert result.detection.units[ANC] == "x10^3/uL"


def test_two_patients_requires_a_choice():
    with pytest.raises(ChoiceRequired) as info:
        import_labs(FORMATS / "two_patients.xlsx")
    err = info.value
    assert err.kind == "patient"
    assert err.options == ["E0000001", "E0000002"]
    assert "two_patients.xlsx" in str(err)
    assert "this file holds results for 2 patients (E0000001, E0000002); choose one" in str(err)


def test_two_patients_each_series_apart():
    first = import_labs(FORMATS / "two_patients.xlsx", patient="E0000001")
    assert first.patient == "E0000001"
    assert first.patients == ("E0000001", "E0000002")
    assert series_of(first) == expected_series("two_patients.xlsx")
    second = import_labs(FORMATS / "two_patients.xlsx", patient="E0000002")
    assert second.patient == "E0000002"
    assert [v for _, v, _ in series_of(second)] == [3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7]
    assert all(t.hour == 11 for t, _, _ in series_of(second))


def test_unknown_patient_is_refused():
    with pytest.raises(InputError, match="E0000009"):
        import_labs(FORMATS / "two_patients.xlsx", patient="E0000009")


def test_messy_export_keeps_every_rejection_with_a_reason():
    result = import_labs(FORMATS / "messy_export.xlsx")
    assert result.detection.sheet == "Results"
    reasons = {s.text: s.reason for s in result.skipped}
    assert "cancel" in reasons["CANCELLED"]
    assert "comment" in reasons["See comment"]
    assert reasons["9.0"] == "superseded by a corrected result"
    assert "exported twice" in reasons["0.6 L"]
    assert all(s.source.file == "messy_export.xlsx" and s.source.row for s in result.skipped)
    flags = result.series()["flag"].tolist()
    assert flags[0] == "L"


def test_derived_anc_is_marked_and_traced_to_wbc():
    result = import_labs(FORMATS / "derived_from_differential.xlsx")
    anc = result.series()
    assert anc["derived"].all()
    assert anc["text"].iloc[0] == "derived: WBC 2 x (55% + 5%)"
    assert anc["row"].iloc[0] == 2  # the WBC row
    assert any("ANC was not in the file; it was derived from WBC and the differential for 8 draws" in w
               for w in result.warnings)
    wbc = result.series(WBC)
    assert not wbc["derived"].any()


def test_portal_csv_converts_cells_per_microlitre():
    result = import_labs(FORMATS / "portal_cells_per_ul.csv")
    anc = result.series()
    assert anc["text"].iloc[0] == "1200"
    assert anc["source_unit"].iloc[0] == "cells/uL"
    assert anc["unit"].iloc[0] == "10^3/uL"
    assert result.detection.sheet == ""
    assert result.detection.date_order == "MDY"


def test_german_export_decimal_comma_and_day_first():
    result = import_labs(FORMATS / "german_decimal_comma.xlsx")
    assert result.detection.date_order == "DMY"
    assert result.series()["text"].iloc[0] == "1,2"


def test_reference_case():
    result = import_labs(DATA / "ivig-mmn" / "labs.xlsx")
    assert result.patient == "E0000001"
    anc = result.series()
    assert anc["value"].min() == pytest.approx(0.3)
    assert anc["value"].max() == pytest.approx(2.4)
    assert len(anc) == 25
    referral = result.observations[result.observations["time"].dt.date.astype(str) == "2022-08-17"]
    assert dict(zip(referral["analyte"], referral["value"]))[WBC] == pytest.approx(1.6)
    assert dict(zip(referral["analyte"], referral["value"]))[ANC] == pytest.approx(0.3)
    history = anc[anc["time"] < "2022-08-01"]["value"]
    assert history.min() == pytest.approx(0.8) and history.max() == pytest.approx(1.9)
    assert result.skipped == ()
    assert result.detection.header_row == 5
    assert result.detection.columns["time"] == "Collection Date/Time"


def test_the_import_never_writes_to_the_file(tmp_path):
    path = FORMATS / "messy_export.xlsx"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    import_labs(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# --- other EHR layouts, written here -----------------------------------------------------------


def _anc_text(value, censored, decimal="."):
    text = f"{censored}{value}" if censored else f"{value:g}"
    return text.replace(".", decimal)


def write_cerner(path: Path) -> Path:
    """Cerner PowerChart style: cover sheet first, title rows, Event / Result Value, text dates,
    a numeric MRN cell, a 'Modified' correction and other tests to ignore."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Clinical Results Report"])
    cover.append(["Generated for chart review"])
    ws = wb.create_sheet("Clinical Results")
    ws.append(["Clinical Results"])
    ws.append(["TEST, PATIENT A  (MRN 123)"])
    ws.append([])
    ws.append(["Patient Name", "FIN", "MRN", "Event", "Event End Date/Time", "Result Value", "Units",
               "Normal Low", "Normal High", "Normalcy", "Result Status"])
    for k, ((t, anc, cens), wbc) in enumerate(zip(DRAWS, WBCS)):
        stamp = t.strftime("%m/%d/%Y %H:%M")
        base = ["TEST, PATIENT A", 555001.0, 123.0]
        ws.append(base + ["WBC", stamp, f"{wbc:g}", "x10^3/uL", "4", "11", "LOW", "Auth (Verified)"])
        if k == 3:
            ws.append(base + ["Absolute Neutrophil Count", stamp, "9.0", "x10^3/uL", "1.8", "7.7", "", "Auth (Verified)"])
            ws.append(base + ["Absolute Neutrophil Count", stamp, _anc_text(anc, cens), "x10^3/uL", "1.8", "7.7",
                              "LOW", "Modified"])
        else:
            ws.append(base + ["Absolute Neutrophil Count", stamp, _anc_text(anc, cens), "x10^3/uL", "1.8", "7.7",
                              "LOW", "Auth (Verified)"])
        ws.append(base + ["Sodium", stamp, "140", "mmol/L", "135", "145", "", "Auth (Verified)"])
    wb.save(path)
    return path


def write_epic_wide(path: Path) -> Path:
    """Epic flowsheet: title row, analyte headers without units, a second header row of units,
    datetime cells, a footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Flowsheet"
    ws.append(["Flowsheet: Hematology"])
    ws.append(["Date/Time", "WBC", "ANC", "Hgb", "Plt"])
    ws.append(["", "x10E3/uL", "x10E3/uL", "g/dL", "x10E3/uL"])
    for (t, anc, cens), wbc in zip(DRAWS, WBCS):
        ws.append([t, wbc, _anc_text(anc, cens) if cens else anc, 13.1, 210])
    ws.append([])
    ws.append(["Printed by: DOE, JANE on 04/06/2023 09:12"])
    wb.save(path)
    return path


def write_french_csv(path: Path) -> Path:
    """French lab: ';' separated, Windows-1252, day-first dates, split date and time columns,
    decimal commas, reference ranges with commas."""
    lines = ["Date de prélèvement;Heure;Examen;Résultat;Unité;Valeurs de référence"]
    for (t, anc, cens), wbc in zip(DRAWS, WBCS):
        d, h = t.strftime("%d/%m/%Y"), t.strftime("%H:%M")
        lines.append(f"{d};{h};Leucocytes;{_anc_text(wbc, None, ',')};G/L;4,0 - 10,0")
        lines.append(f"{d};{h};Polynucléaires neutrophiles;{_anc_text(anc, cens, ',')};G/L;1,5 - 7,0")
    lines.append("*** Fin du compte rendu ***")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def write_transposed_with_title(path: Path) -> Path:
    """German cumulative report: one column per draw, datetime cells in the date row, a units
    column, a title block above and a footer below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kumulativbefund"
    ws.append(["Kumulativer Befund"])
    ws.append(["Patient: TEST, PATIENT A, geb. 01.01.1966"])
    ws.append([])
    ws.append(["Parameter", "Einheit"] + [t for t, _, _ in DRAWS])
    ws.append(["Leukozyten", "G/l"] + WBCS)
    ws.append(["Neutrophile abs.", "G/l"] + [_anc_text(a, c, ",") if c else a for _, a, c in DRAWS])
    ws.append(["Hämoglobin", "g/dl"] + [13.0] * len(DRAWS))
    ws.append(["CRP", "mg/l"] + [3.0] * len(DRAWS))
    ws.append([])
    ws.append(["Gedruckt am 06.04.2023"])
    wb.save(path)
    return path


def write_serial_1904(path: Path) -> Path:
    """A Mac workbook (1904 date system) whose collection times are unformatted serial numbers."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["Collected", "Component", "Result", "Units"])
    for t, anc, cens in DRAWS:
        serial = (t - datetime(1904, 1, 1)) / timedelta(days=1)
        ws.append([serial, "ANC", _anc_text(anc, cens) if cens else anc, "K/uL"])
    wb.save(path)
    return path


def write_ods(path: Path) -> Path:
    """A LibreOffice spreadsheet, written by hand (content.xml in a zip)."""

    def cell(v):
        if isinstance(v, datetime):
            iso = v.isoformat()
            return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        if isinstance(v, float):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'

    rows = [["Datum", "Parameter", "Ergebnis", "Einheit"]]
    for t, anc, cens in DRAWS:
        rows.append([t, "Neutrophile abs.", _anc_text(anc, cens, ","), "G/l"])
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Befunde">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_utf16_tabs(path: Path) -> Path:
    """Excel's "Unicode text": UTF-16 with BOM, tab separated, ISO dates."""
    lines = ["Test Name\tResult\tUnits\tDate Collected"]
    for t, anc, cens in DRAWS:
        lines.append(f"Neutrophils, Absolute\t{_anc_text(anc, cens)}\t10*9/L\t{t:%Y-%m-%d %H:%M}")
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def write_german_split(path: Path) -> Path:
    """Split date and time columns, dotted dates, an MRN with leading zeros kept as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Patienten-ID", "Entnahmedatum", "Uhrzeit", "Untersuchung", "Wert", "Einheit", "Status"])
    for t, anc, cens in DRAWS:
        d, h = t.strftime("%d.%m.%Y"), t.strftime("%H:%M")
        ws.append(["00123", d, h, "Natrium", "140", "mmol/l", "endgültig"])
        ws.append(["00123", d, h, "Neutrophile absolut", _anc_text(anc, cens, ","), "/nl", "endgültig"])
    wb.save(path)
    return path


LAYOUTS = {
    "cerner.xlsx": write_cerner,
    "epic_wide.xlsx": write_epic_wide,
    "french.csv": write_french_csv,
    "kumulativ.xlsx": write_transposed_with_title,
    "mac1904.xlsx": write_serial_1904,
    "libre.ods": write_ods,
    "unicode.txt": write_utf16_tabs,
    "split.xlsx": write_german_split,
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_other_ehr_layouts_give_the_same_series(tmp_path, name):
    path = LAYOUTS[name](tmp_path / name)
    result = import_labs(path)
    assert series_of(result) == DRAWS


def test_cerner_details(tmp_path):
    result = import_labs(write_cerner(tmp_path / "cerner.xlsx"))
    assert result.detection.sheet == "Clinical Results"
    assert result.detection.header_row == 4
    assert result.patient == "123"
    assert any("8 rows of other tests (e.g. Sodium) were ignored" in w for w in result.warnings)
    assert [s.reason for s in result.skipped] == ["superseded by a corrected result"]
    assert series_of(result, WBC) == [(t, w, None) for (t, _, _), w in zip(DRAWS, WBCS)]


def test_epic_units_row(tmp_path):
    result = import_labs(write_epic_wide(tmp_path / "epic.xlsx"))
    assert result.detection.layout == "wide"
    assert result.detection.units[ANC] == "x10E3/uL"
    assert not any("unit" in w for w in result.warnings)
    assert list(result.series()["row"]) == list(range(4, 12))


def test_french_csv_detection(tmp_path):
    result = import_labs(write_french_csv(tmp_path / "french.csv"))
    det = result.detection
    assert det.date_order == "DMY"
    assert det.columns["time"] == "Date de prélèvement"
    assert det.columns["clock"] == "Heure"
    assert result.series()["text"].iloc[6] == "<0,1"


def test_transposed_provenance(tmp_path):
    result = import_labs(write_transposed_with_title(tmp_path / "k.xlsx"))
    anc = result.series()
    assert result.detection.layout == "transposed"
    assert set(anc["row"]) == {6}
    assert list(anc["column"]) == ["C", "D", "E", "F", "G", "H", "I", "J"]
    assert any("CRP" in w for w in result.warnings)


def test_1904_system_is_read_from_the_workbook(tmp_path):
    result = import_labs(write_serial_1904(tmp_path / "mac.xlsx"))
    assert result.detection.date_system == 1904


def test_identifier_keeps_leading_zeros(tmp_path):
    result = import_labs(write_german_split(tmp_path / "split.xlsx"))
    assert result.patient == "00123"


# --- options -----------------------------------------------------------------------------------


def _write_rows(path: Path, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_mapping_overrides_analyte_detection(tmp_path):
    rows = [["Date", "Neutros", "Leuk"]] + [[t, a if not c else f"<{a}", w] for (t, a, c), w in zip(DRAWS, WBCS)]
    path = _write_rows(tmp_path / "plain.xlsx", rows)
    with pytest.raises(InputError, match="no neutrophil counts"):
        import_labs(path)
    result = import_labs(path, mapping={"Neutros": "ANC"})
    assert series_of(result) == DRAWS
    assert result.detection.analytes["Neutros"] == ANC


def test_ambiguous_dates_ask_for_the_order(tmp_path):
    path = tmp_path / "us_or_eu.csv"
    path.write_text("Date,Test,Result,Unit\n03/01/2023,ANC,1.2,K/uL\n04/02/2023,ANC,0.5,K/uL\n")
    with pytest.raises(ChoiceRequired) as info:
        import_labs(path)
    assert info.value.kind == "date_order"
    assert "us_or_eu.csv" in str(info.value)
    mdy = import_labs(path, date_order="MDY")
    assert [t.month for t, _, _ in series_of(mdy)] == [3, 4]
    dmy = import_labs(path, date_order="DMY")
    assert [t.month for t, _, _ in series_of(dmy)] == [1, 2]


def test_magnitude_contradicting_the_unit_is_kept_and_named(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Date,Test,Result,Unit\n2023-03-01,ANC,1200,K/uL\n2023-03-02,ANC,0.5,K/uL\n")
    result = import_labs(path)
    assert [v for _, v, _ in series_of(result)] == [1200.0, 0.5]
    assert any(w.startswith("row 2:") and "cells/uL" in w for w in result.warnings)


def test_no_unit_column_guesses_and_says_so(tmp_path):
    path = tmp_path / "nounit.csv"
    path.write_text("Date,Test,Result\n2023-03-01,ANC,1200\n2023-03-02,ANC,450\n")
    result = import_labs(path)
    assert [v for _, v, _ in series_of(result)] == [1.2, 0.45]
    assert any("no units" in w and "cells/uL" in w for w in result.warnings)
    assert all(d for d in result.series()["date_only"])


def test_layout_and_header_row_overrides(tmp_path):
    rows = [["Report"], ["x", "y"], ["Collected", "Component", "Result", "Units"]]
    rows += [[t, "ANC", f"<{a}" if c else a, "K/uL"] for t, a, c in DRAWS]
    path = _write_rows(tmp_path / "over.xlsx", rows)
    result = import_labs(path, header_row=3, layout="long")
    assert series_of(result) == DRAWS
    with pytest.raises(InputError, match="row 1"):
        import_labs(path, header_row=1)


def test_sheet_override_and_missing_sheet(tmp_path):
    path = write_cerner(tmp_path / "cerner.xlsx")
    assert import_labs(path, sheet="Clinical Results").detection.sheet == "Clinical Results"
    with pytest.raises(InputError, match="Clinical Results"):
        import_labs(path, sheet="Nope")
    with pytest.raises(InputError, match="no recognisable lab results"):
        import_labs(path, sheet="Cover")


def test_no_date_column_is_said_plainly(tmp_path):
    path = tmp_path / "nodate.csv"
    path.write_text("Test,Result,Unit\nANC,1.2,K/uL\n")
    with pytest.raises(InputError, match="no column with the collection date"):
        import_labs(path)


def test_grouped_export_repeated_headers_and_footers(tmp_path):
    """Time and MRN printed once per draw, the header repeated on each printed page, and a
    footer in the MRN column: none of it may invent a patient or a test."""
    lines = ["MRN,Collected,Test,Result,Units"]
    for k, (t, anc, cens) in enumerate(DRAWS):
        if k == 4:
            lines.append("MRN,Collected,Test,Result,Units")
        lines.append(f"E1,{t:%Y-%m-%d %H:%M},WBC,{WBCS[k]},K/uL")
        lines.append(f",,ANC,{_anc_text(anc, cens)},K/uL")
    lines.append("Printed by DOE on 2023-04-06,,,,")
    path = tmp_path / "grouped.csv"
    path.write_text("\n".join(lines) + "\n")
    result = import_labs(path)
    assert series_of(result) == DRAWS
    assert result.patient == "E1" and result.patients == ("E1",)
    assert any("8 results had no collection time of their own" in w for w in result.warnings)
    assert not any("other tests" in w for w in result.warnings)


def test_unknown_mapping_target_names_the_file():
    with pytest.raises(InputError) as info:
        import_labs(FORMATS / "wide_flowsheet.xlsx", mapping={"ANC (x10^3/uL)": "Sodium"})
    assert "wide_flowsheet.xlsx" in str(info.value)


def test_mapping_can_switch_off_a_wrong_match():
    result = import_labs(FORMATS / "wide_flowsheet.xlsx", mapping={"HGB (g/dL)": "ignore"})
    assert "HGB" not in set(result.observations["analyte"])
    assert series_of(result) == expected_series("wide_flowsheet.xlsx")
