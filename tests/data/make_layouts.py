"""Write lab exports in the layouts of other EHRs and labs into tests/data/layouts/.

    uv run python tests/data/make_layouts.py

The importer was written against the files in tests/data/formats/. These files are what a new
user brings from another hospital: an Epic "Results Review" export, an Epic flowsheet, a
Cerner PowerChart CSV, a Meditech cumulative report, a German Laborbefund, a French and a
Spanish export, a LOINC-only LIS extract, an OpenDocument file, and so on. Every file holds
the same twelve draws of one patient (``DRAWS`` below), written the way that system writes
them, so every file must give the same ANC series. ``expected.json`` records, per file, the
ANC series and a few other analytes as they were written here (not as the importer reads
them); tests/analysis/test_import_layouts.py compares the import against it.

tests/data/layouts/bad/ holds inputs a user can pick by mistake (an empty CSV, a PDF renamed
.xlsx, a password-protected workbook, ...); each must give one plain sentence.

The files are small (a few KB) and committed; run this script only to change them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent
OUT = HERE / "layouts"
BAD = OUT / "bad"
MRN = "000482913"  # leading zeros are part of the identifier

# time, WBC, segmented %, band %, HGB g/dL, PLT 10^3/uL, lymphocytes 10^3/uL.
# ANC = WBC x (segs + bands) / 100, so a file with only the differential gives the same series.
DRAWS = [
    (datetime(2023, 3, 1, 8, 0), 4.0, 28, 2, 11.2, 210, 1.9),
    (datetime(2023, 3, 3, 7, 45), 2.5, 32, 2, 10.9, 188, 1.2),
    (datetime(2023, 3, 6, 8, 10), 2.0, 20, 1, 10.4, 160, 1.1),
    (datetime(2023, 3, 9, 9, 0), 1.5, 20, 0, 10.1, 142, 0.9),
    (datetime(2023, 3, 14, 8, 0), 1.0, 5, 0, 9.8, 120, 0.7),
    (datetime(2023, 3, 17, 7, 30), 2.0, 30, 0, 9.6, 131, 1.0),
    (datetime(2023, 3, 21, 8, 15), 3.0, 33, 2, 9.9, 155, 1.3),
    (datetime(2023, 3, 24, 14, 30), 4.0, 42, 3, 10.3, 176, 1.5),
    (datetime(2023, 3, 28, 8, 0), 5.0, 45, 2, 10.8, 204, 1.8),
    (datetime(2023, 4, 2, 10, 5), 5.0, 60, 2, 11.0, 231, 1.4),
    (datetime(2023, 4, 5, 8, 0), 4.5, 58, 2, 11.3, 242, 1.2),
    (datetime(2023, 4, 11, 7, 50), 3.9, 50, 0, 11.5, 250, 1.6),
]


def anc(draw) -> float:
    return round(draw[1] * (draw[2] + draw[3]) / 100.0, 6)


def num(x: float, decimal: str = ".") -> str:
    text = f"{x:g}"
    return text.replace(".", decimal)


EXPECTED: dict[str, dict] = {}


def expect(name: str, *, times=None, anc_values=None, censored=None, other=None, **extra) -> None:
    """Record what ``name`` holds: the ANC series (time, value, censored) and more analytes."""
    times = times or [d[0] for d in DRAWS]
    anc_values = anc_values or [anc(d) for d in DRAWS]
    censored = censored or [None] * len(times)
    EXPECTED[name] = {
        "anc": [[t.isoformat(timespec="minutes"), v, c] for t, v, c in zip(times, anc_values, censored)],
        "other": other or {},
        **extra,
    }


def other_series(code: str, index: int, times=None) -> list:
    times = times or [d[0] for d in DRAWS]
    return [[t.isoformat(timespec="minutes"), d[index]] for t, d in zip(times, DRAWS)]


FIXED = datetime(2023, 4, 20, 15, 12)  # so that running the script again changes no byte


def repack(data: bytes) -> bytes:
    """The same zip with fixed member times, so regenerated files are identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = info.compress_type
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2023-04-20T15:12:00Z", data)
            zout.writestr(fixed, data)
    return out.getvalue()


def save_xlsx(wb: openpyxl.Workbook, name: str, path: Path | None = None) -> None:
    wb.properties.created = wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    (path or OUT / name).write_bytes(repack(buf.getvalue()))


def write_csv(name: str, rows: list[list], *, delimiter=",", encoding="utf-8", bom=False) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    (OUT / name).write_bytes(data)


# --- the layouts -----------------------------------------------------------------------------


def epic_results_review() -> None:
    """Epic "Results Review" long export: one row per component, statuses, a correction."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(["MRN", "Order Name", "Component", "Value", "Units", "Ref Range", "Flag", "Status",
               "Collection Time", "Result Time"])
    statuses = ["Final", "Resulted", "Final", "Final", "Final", "Resulted", "Final", "Final",
                "Final", "Final", "Final", "Final"]
    for i, d in enumerate(DRAWS):
        t, wbc, seg, band, hgb, plt, lymph = d
        resulted = t + timedelta(hours=2)
        flag = "L" if anc(d) < 1.5 else ""
        base = [MRN, "CBC WITH DIFFERENTIAL"]
        value = anc(d)
        if i == 3:  # a preliminary result later corrected: the corrected value must win
            ws.append(base + ["Absolute Neutrophils", 0.8, "K/uL", "1.8 - 7.7", "L", "Preliminary", t, resulted])
            ws.append(base + ["Absolute Neutrophils", value, "K/uL", "1.8 - 7.7", "L", "Corrected", t,
                              resulted + timedelta(hours=5)])
        else:
            ws.append(base + ["Absolute Neutrophils", value, "K/uL", "1.8 - 7.7", flag, statuses[i], t, resulted])
        ws.append(base + ["WBC", wbc, "K/uL", "4.0 - 11.0", "L" if wbc < 4 else "", statuses[i], t, resulted])
        ws.append(base + ["Hemoglobin", hgb, "g/dL", "12.0 - 16.0", "L", statuses[i], t, resulted])
        ws.append(base + ["Platelets", plt, "K/uL", "150 - 400", "L" if plt < 150 else "", statuses[i], t, resulted])
        ws.append([MRN, "BASIC METABOLIC PANEL", "Sodium", 139, "mmol/L", "135 - 145", "", "Final", t, resulted])
        ws.append([MRN, "BASIC METABOLIC PANEL", "Creatinine", 0.8, "mg/dL", "0.6 - 1.2", "", "Final", t, resulted])
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=10):
        for cell in row:
            cell.number_format = "mm/dd/yyyy hh:mm"
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=1):
        row[0].number_format = "@"
    save_xlsx(wb, "epic_results_review.xlsx")
    expect("epic_results_review.xlsx", patient=MRN,
           other={"WBC": other_series("WBC", 1), "HGB": other_series("HGB", 4), "PLT": other_series("PLT", 5)},
           skipped_reasons=["superseded by a corrected result"])


def epic_flowsheet() -> None:
    """Epic flowsheet: names in one header row, units in the next, "3/1/2023 0800" as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Flowsheet"
    ws.append(["Date/Time", "WBC", "ANC", "Hemoglobin", "Platelets", "Lymphocytes Absolute"])
    ws.append(["", "x10^3/uL", "x10^3/uL", "g/dL", "x10^3/uL", "x10^3/uL"])
    for t, wbc, seg, band, hgb, plt, lymph in DRAWS:
        stamp = f"{t.month}/{t.day}/{t.year} {t:%H%M}"
        ws.append([stamp, wbc, anc((t, wbc, seg, band)), hgb, plt, lymph])
    save_xlsx(wb, "epic_flowsheet.xlsx")
    expect("epic_flowsheet.xlsx", other={"WBC": other_series("WBC", 1), "LYMPH": other_series("LYMPH", 6)})


def cerner_powerchart() -> None:
    """Cerner PowerChart CSV: Event / Result Value / Normal Low / High, "01-MAR-2023 08:00"."""
    rows = [["Person Name", "MRN", "Event", "Result Value", "Result Units", "Normal Low", "Normal High",
             "Normalcy", "Clinical Event Result Status", "Event End Date/Time", "Verified Date/Time"]]
    for i, d in enumerate(DRAWS):
        t, wbc, seg, band, hgb, plt, lymph = d
        stamp = t.strftime("%d-%b-%Y %H:%M").upper()
        verified = (t + timedelta(hours=1)).strftime("%d-%b-%Y %H:%M").upper()
        who = ["DOE, JANE", MRN]
        status = "Auth (Verified)" if i != 6 else "Modified"
        rows.append(who + ["WBC", num(wbc), "x10^3/uL", "4.0", "11.0", "LOW" if wbc < 4 else "", status, stamp, verified])
        rows.append(who + ["Neutrophil Abs", num(anc(d)), "x10^3/uL", "1.8", "7.7", "LOW" if anc(d) < 1.8 else "",
                           status, stamp, verified])
        rows.append(who + ["Platelet", num(plt), "x10^3/uL", "150", "400", "", status, stamp, verified])
        if i == 2:  # a result taken back: its value must not reach the chart
            rows.append(who + ["Neutrophil Abs", "4.2", "x10^3/uL", "1.8", "7.7", "", "In Error", stamp, verified])
    write_csv("cerner_powerchart.csv", rows)
    expect("cerner_powerchart.csv", patient=MRN, other={"PLT": other_series("PLT", 5)},
           skipped_reasons=["cancelled or withdrawn by the lab (status 'In Error')"])


def meditech_cumulative() -> None:
    """Meditech cumulative report: title rows, dates across, a row of times, units in column B."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CUMULATIVE"
    ws.append(["COMMUNITY GENERAL HOSPITAL - LABORATORY CUMULATIVE REPORT"])
    ws.append([f"Patient: DOE,JANE   Acct: V0001234   MRN: {MRN}"])
    ws.append(["Report printed 04/20/23 1512"])
    ws.append([])
    ws.append(["HEMATOLOGY", "Units"] + [f"{t:%m/%d/%y}" for t, *_ in DRAWS])
    ws.append(["", ""] + [f"{t:%H%M}" for t, *_ in DRAWS])
    ws.append(["WBC", "K/uL"] + [d[1] for d in DRAWS])
    ws.append(["ABS NEUT", "K/uL"] + [anc(d) for d in DRAWS])
    ws.append(["HGB", "g/dL"] + [d[4] for d in DRAWS])
    ws.append(["PLT", "K/uL"] + [d[5] for d in DRAWS])
    ws.append([])
    ws.append(["CHEMISTRY"])
    ws.append(["NA", "mmol/L"] + [139] * len(DRAWS))
    ws.append(["CREAT", "mg/dL"] + [0.8] * len(DRAWS))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    save_xlsx(wb, "meditech_cumulative.xlsx")
    expect("meditech_cumulative.xlsx", other={"WBC": other_series("WBC", 1), "HGB": other_series("HGB", 4)})


def laborbefund_de() -> None:
    """German lab CSV: ';', cp1252, decimal comma, Datum and Uhrzeit apart, /nl and Gpt/l."""
    rows = [["Patientennummer", "Auftragsnummer", "Datum", "Uhrzeit", "Untersuchung", "Ergebnis",
             "Einheit", "Referenzbereich", "Kennzeichen", "Kommentar"]]
    for i, d in enumerate(DRAWS):
        t, wbc, seg, band, hgb, plt, lymph = d
        date, clock = f"{t:%d.%m.%Y}", f"{t:%H:%M}"
        order = f"A{230000 + i}"
        rows.append([MRN, order, date, clock, "Leukozyten", num(wbc, ","), "/nl", "4,0 - 10,0",
                     "-" if wbc < 4 else "", ""])
        rows.append([MRN, order, date, clock, "Neutrophile Granulozyten absolut", num(anc(d), ","), "Gpt/l",
                     "1,8 - 7,7", "-" if anc(d) < 1.8 else "", "Befund telefonisch mitgeteilt" if i == 4 else ""])
        rows.append([MRN, order, date, clock, "Hämoglobin", num(hgb, ","), "g/dl", "12,0 - 16,0", "-", ""])
        rows.append([MRN, order, date, clock, "Thrombozyten", num(plt, ","), "/nl", "150 - 400",
                     "-" if plt < 150 else "", ""])
        rows.append([MRN, order, date, clock, "CRP", "12,5" if i % 2 else "<5,0", "mg/l", "< 5,0", "", ""])
    write_csv("laborbefund_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("laborbefund_de.csv", patient=MRN,
           other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5), "HGB": other_series("HGB", 4)})


def resultats_fr() -> None:
    """French CSV: ';', UTF-8 with BOM, "Date de prélèvement" day first, G/L, decimal comma."""
    rows = [["IPP", "Date de prélèvement", "Examen", "Résultat", "Unité", "Valeurs de référence", "Commentaire"]]
    for d in DRAWS:
        t, wbc, seg, band, hgb, plt, lymph = d
        stamp = f"{t:%d/%m/%Y %H:%M}"
        rows.append([MRN, stamp, "Leucocytes", num(wbc, ","), "G/L", "4,0-10,0", ""])
        rows.append([MRN, stamp, "Polynucléaires neutrophiles", num(anc(d), ","), "G/L", "1,8-7,5", ""])
        rows.append([MRN, stamp, "Lymphocytes", num(lymph, ","), "G/L", "1,0-4,0", ""])
        rows.append([MRN, stamp, "Hémoglobine", num(hgb, ","), "g/dL", "12,0-16,0", ""])
        rows.append([MRN, stamp, "Plaquettes", num(plt, ","), "G/L", "150-400", "contrôlé sur lame"])
    write_csv("resultats_fr.csv", rows, delimiter=";", bom=True)
    expect("resultats_fr.csv", patient=MRN, other={"LYMPH": other_series("LYMPH", 6), "PLT": other_series("PLT", 5)})


def analitica_es() -> None:
    """Spanish xlsx: "Fecha de extracción" as dates, "Neutrófilos absolutos" in x10^3/µL."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Resultados"
    ws.append(["NHC", "Fecha de extracción", "Prueba", "Resultado", "Unidades", "Valores de referencia"])
    for d in DRAWS:
        t, wbc, seg, band, hgb, plt, lymph = d
        ws.append([MRN, t, "Leucocitos", wbc, "x10^3/µL", "4,0 - 11,0"])
        ws.append([MRN, t, "Neutrófilos absolutos", anc(d), "x10^3/µL", "1,8 - 7,5"])
        ws.append([MRN, t, "Neutrófilos %", float(seg + band), "%", "40 - 75"])
        ws.append([MRN, t, "Plaquetas", plt, "x10^3/µL", "150 - 400"])
        ws.append([MRN, t, "Glucosa", 92, "mg/dL", "70 - 110"])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "dd/mm/yyyy hh:mm"
    save_xlsx(wb, "analitica_es.xlsx")
    expect("analitica_es.xlsx", patient=MRN, other={"PLT": other_series("PLT", 5)})


def lis_loinc() -> None:
    """A LIS extract naming tests only by LOINC code, with ISO 8601 times and the identifier
    written as ="000482913" (how exports keep Excel from dropping its leading zeros)."""
    rows = [["patient_id", "specimen_collected", "loinc", "value", "unit", "abnormal"]]
    for d in DRAWS:
        t, wbc, seg, band, hgb, plt, lymph = d
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S")
        rows.append([MRN, stamp, "6690-2", num(wbc), "10*3/uL", "L" if wbc < 4 else "N"])
        rows.append([MRN, stamp, "751-8", num(anc(d)), "10*3/uL", "L" if anc(d) < 1.8 else "N"])
        rows.append([MRN, stamp, "718-7", num(hgb), "g/dL", "L"])
        rows.append([MRN, stamp, "2345-7", "92", "mg/dL", "N"])
    lines = [",".join(rows[0])] + [",".join([f'="{r[0]}"'] + r[1:]) for r in rows[1:]]
    (OUT / "lis_loinc.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    expect("lis_loinc.csv", patient=MRN, other={"WBC": other_series("WBC", 1), "HGB": other_series("HGB", 4)})


def portal_cells_per_ul() -> None:
    """Patient portal: ANC in cells/µL written with thousands separators ("1,200")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lab Results"
    ws.append(["Test", "Result", "Unit", "Date Collected"])
    for d in DRAWS:
        t = d[0]
        ws.append(["Absolute Neutrophil Count", f"{round(anc(d) * 1000):,}", "/µL", t.strftime("%m/%d/%Y %I:%M %p")])
        ws.append(["White Blood Cell Count", f"{round(d[1] * 1000):,}", "/µL", t.strftime("%m/%d/%Y %I:%M %p")])
    save_xlsx(wb, "portal_cells_per_ul.xlsx")
    expect("portal_cells_per_ul.xlsx", other={"WBC": other_series("WBC", 1)})


def superscript_si() -> None:
    """SI units written with superscripts ("x10⁹/L"), dates as real date cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blood count"
    ws.append(["Specimen Collected", "Analyte", "Result", "Units", "Reference Interval"])
    for d in DRAWS:
        t = d[0]
        ws.append([t, "Neutrophils", anc(d), "x10⁹/L", "2.0–7.5"])
        ws.append([t, "Lymphocytes", d[6], "x10⁹/L", "1.0–4.0"])
        ws.append([t, "Haemoglobin", d[4] * 10, "g/L", "120–160"])
        ws.append([t, "Platelets", d[5], "x10⁹/L", "150–400"])
    save_xlsx(wb, "superscript_si.xlsx")
    expect("superscript_si.xlsx", other={"LYMPH": other_series("LYMPH", 6), "HGB": other_series("HGB", 4)})


def serials(name: str, epoch) -> None:
    """Excel serial numbers as plain numbers in a General column (no date format)."""
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "Data"
    ws.append(["Collected", "Test", "Result", "Units"])
    base = datetime(1904, 1, 1) if epoch is not None else datetime(1899, 12, 30)
    for d in DRAWS:
        serial = round((d[0] - base).total_seconds() / 86400.0, 10)
        ws.append([serial, "NEUT ABS", anc(d), "K/uL"])
        ws.append([serial, "WBC", d[1], "K/uL"])
    save_xlsx(wb, name)
    expect(name, other={"WBC": other_series("WBC", 1)})


def split_date_time() -> None:
    """A wide sheet with the date and the time of day as text in separate columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Labs"
    ws.append(["Date", "Time", "WBC (K/uL)", "Neut Abs (K/uL)", "Hgb (g/dL)", "Plt (K/uL)"])
    for d in DRAWS:
        t = d[0]
        ws.append([t.strftime("%Y-%m-%d"), t.strftime("%H:%M"), str(d[1]), str(anc(d)), str(d[4]), str(d[5])])
    save_xlsx(wb, "split_date_time.xlsx")
    expect("split_date_time.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def censored_flags() -> None:
    """Results with limits and flags glued on: "<0.05", "0.3*", "0.3 (L)", "L 0.42", ">100"."""
    rows = [["Collection Date", "Test Name", "Result", "Units", "Reference Range"]]
    texts = {2: "L 0.42", 3: "0.3 (L)", 4: "<0.05", 5: "0.6*"}
    censored = []
    for i, d in enumerate(DRAWS):
        t = d[0]
        stamp = t.strftime("%m/%d/%Y %H:%M")
        rows.append([stamp, "Neutrophils, Absolute", texts.get(i, num(anc(d))), "x10E3/uL", "1.4-7.0"])
        rows.append([stamp, "C-Reactive Protein", ">100" if i == 4 else "12", "mg/L", "<5"])
        rows.append([stamp, "Hemoglobin", num(d[4]), "g/dL", "11.1-15.9"])
        rows.append([stamp, "Lymphocytes, Absolute", ">100" if i == 11 else num(d[6]), "x10E3/uL", "0.7-3.1"])
        censored.append("<" if i == 4 else None)
    write_csv("censored_flags.csv", rows)
    lymph = other_series("LYMPH", 6)
    lymph[-1][1] = 100.0  # written as ">100"
    expect("censored_flags.csv", censored=censored, other={"HGB": other_series("HGB", 4), "LYMPH": lymph},
           flags={"2023-03-06T08:10": "L", "2023-03-09T09:00": "L", "2023-03-17T07:30": "*"})


def derived_from_segs() -> None:
    """No ANC at all: WBC with "Segs %" and "Bands %" (ANC must be derived)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CBC"
    ws.append(["Collection Date", "Collection Time", "WBC", "Segs %", "Bands %", "Lymphs %", "Hgb"])
    for d in DRAWS:
        t = d[0]
        ws.append([t.date(), t.time(), d[1], d[2], d[3] if d[3] else None, 20, d[4]])
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=2):
        row[0].number_format = "mm/dd/yyyy"
        row[1].number_format = "hh:mm"
    save_xlsx(wb, "derived_from_segs.xlsx")
    expect("derived_from_segs.xlsx", derived=True, other={"WBC": other_series("WBC", 1)},
           differential=[[d[0].isoformat(timespec="minutes"), d[1], d[2], d[3]] for d in DRAWS])


def chemistry_mixed() -> None:
    """Many chemistry tests between the blood counts, under several order names."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "All Results"
    ws.append(["Patient ID", "Order", "Test", "Result", "Unit", "Normal Range", "Collected"])
    chem = [("Sodium", 139, "mmol/L"), ("Potassium", 4.1, "mmol/L"), ("Chloride", 101, "mmol/L"),
            ("Glucose", 96, "mg/dL"), ("ALT", 22, "U/L"), ("AST", 25, "U/L"), ("Bilirubin, Total", 0.6, "mg/dL"),
            ("IgG", 812, "mg/dL"), ("Ferritin", 140, "ng/mL"), ("Neutrophil Antibody Screen", "Negative", "")]
    for d in DRAWS:
        t = d[0]
        for name, value, unit in chem[:5]:
            ws.append([MRN, "COMPREHENSIVE METABOLIC PANEL", name, value, unit, "", t])
        ws.append([MRN, "CBC W/ AUTO DIFF", "Neutrophils #", anc(d), "10^3/uL", "1.8-7.7", t])
        ws.append([MRN, "CBC W/ AUTO DIFF", "Neutrophils %", float(d[2] + d[3]), "%", "40-75", t])
        ws.append([MRN, "CBC W/ AUTO DIFF", "Immature Granulocytes #", 0.01, "10^3/uL", "0-0.1", t])
        ws.append([MRN, "CBC W/ AUTO DIFF", "Platelet Count", d[5], "10^3/uL", "150-400", t])
        ws.append([MRN, "CBC W/ AUTO DIFF", "Mean Platelet Volume", 10.2, "fL", "7.5-11.5", t])
        for name, value, unit in chem[5:]:
            ws.append([MRN, "HEPATIC AND IMMUNOLOGY", name, value, unit, "", t])
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].number_format = "yyyy-mm-dd hh:mm"
    save_xlsx(wb, "chemistry_mixed.xlsx")
    expect("chemistry_mixed.xlsx", patient=MRN, other={"PLT": other_series("PLT", 5)})


def write_ods(name: str, sheets: list[tuple[str, list[list]]]) -> None:
    """A minimal valid OpenDocument spreadsheet (what LibreOffice saves), without odfpy."""

    def cell(v) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, datetime):
            iso = v.isoformat(timespec="seconds")
            return (f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                    f"<text:p>{v:%d.%m.%Y %H:%M}</text:p></table:table-cell>")
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(title)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for title, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    (OUT / name).write_bytes(repack(buf.getvalue()))


def libreoffice_ods() -> None:
    """An .ods saved by LibreOffice: a notes sheet first, German headers, real date cells."""
    rows = [["Entnahmedatum", "Parameter", "Wert", "Einheit"]]
    for d in DRAWS:
        rows.append([d[0], "Neutrophile abs.", anc(d), "G/l"])
        rows.append([d[0], "Leukozyten", d[1], "G/l"])
    notes = [["Notizen"], ["Export aus dem Laborsystem, bitte nicht verändern"]]
    write_ods("libreoffice.ods", [("Notizen", notes), ("Labor", rows)])
    expect("libreoffice.ods", other={"WBC": other_series("WBC", 1)})


def macro_workbook() -> None:
    """An .xlsm: the same parts as an .xlsx with the macro-enabled content type."""
    src = OUT / "epic_flowsheet.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            zout.writestr(info, data)
    (OUT / "flowsheet_macro.xlsm").write_bytes(repack(buf.getvalue()))
    expect("flowsheet_macro.xlsm", other={"WBC": other_series("WBC", 1)})


def hidden_cover_merged() -> None:
    """A hidden "Cover" sheet first; merged title cells and blank spacer columns on the data sheet."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Laboratory report"])
    cover.append(["Date", "Test", "Result"])  # a decoy header on the hidden sheet
    cover.append(["see next sheet", "", ""])
    cover.sheet_state = "hidden"
    ws = wb.create_sheet("Report")
    ws["A1"] = "St. Elsewhere University Hospital — Haematology"
    ws.merge_cells("A1:H1")
    ws["A2"] = "Cumulative blood counts"
    ws.merge_cells("A2:H2")
    ws.append([])
    ws.append(["Date Collected", None, "Test", None, "Result", "Units", None, "Reference"])
    for d in DRAWS:
        ws.append([d[0], None, "Neutrophils Abs", None, anc(d), "10^9/L", None, "1.5-7.0"])
        ws.append([d[0], None, "Platelets", None, d[5], "10^9/L", None, "150-400"])
    for row in ws.iter_rows(min_row=5, min_col=1, max_col=1):
        row[0].number_format = "dd-mmm-yyyy hh:mm"
    save_xlsx(wb, "hidden_cover_merged.xlsx")
    expect("hidden_cover_merged.xlsx", other={"PLT": other_series("PLT", 5)})


def paged_report() -> None:
    """A printed report saved as CSV: 40 lines a page, each page starting with a title and the
    column headings again and ending with "Page n of m"; chemistry between the blood counts."""
    body = []
    for d in DRAWS:
        t = d[0]
        stamp = t.strftime("%b %d, %Y %I:%M %p").replace(" 0", " ")
        body.append([stamp, "ANC", num(anc(d)), "K/uL", "1.5-8.0"])
        body.append([stamp, "WBC", num(d[1]), "K/uL", "4.0-11.0"])
        body.append([stamp, "HGB", num(d[4]), "g/dL", "12.0-16.0"])
        for name, value, unit in (("SODIUM", "139", "mmol/L"), ("POTASSIUM", "4.1", "mmol/L"),
                                  ("CREATININE", "0.8", "mg/dL"), ("GLUCOSE", "96", "mg/dL")):
            body.append([stamp, name, value, unit, ""])
    header = ["Collected", "Test", "Result", "Units", "Ref Range"]
    per_page = 40 - 5  # title, blank, headings above; blank and footer below
    pages = [body[i : i + per_page] for i in range(0, len(body), per_page)]
    rows = []
    for n, page in enumerate(pages, start=1):
        rows.append(["LABORATORY RESULTS - DOE, JANE", "", "", "", ""])
        rows.append(["", "", "", "", ""])
        rows.append(header)
        rows.extend(page)
        rows.append(["", "", "", "", ""])
        rows.append([f"Page {n} of {len(pages)}", "", "", "Printed 04/20/2023", ""])
    write_csv("paged_report.csv", rows)
    expect("paged_report.csv", other={"WBC": other_series("WBC", 1)}, skipped_count=0)


def month_names() -> None:
    """Dates with month names in two spellings: "1-Mar-2023 08:00" and "Mar 1, 2023 8:00 AM"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["Draw Date", "Component Name", "Result Value", "UOM"])
    for i, d in enumerate(DRAWS):
        t = d[0]
        if i % 2:
            stamp = f"{t:%b} {t.day}, {t.year} {t:%I}:{t:%M} {t:%p}".replace(" 0", " ")
        else:
            stamp = f"{t.day}-{t:%b}-{t.year} {t:%H:%M}"
        ws.append([stamp, "NEUTROPHILS, ABSOLUTE", anc(d), "THOU/uL"])
        ws.append([stamp, "WHITE BLOOD CELLS", d[1], "THOU/uL"])
    save_xlsx(wb, "month_names.xlsx")
    expect("month_names.xlsx", other={"WBC": other_series("WBC", 1)})


def ambiguous_dates() -> None:
    """Only days 1 to 12: "03/04/2023" cannot be read without asking the user."""
    days = [datetime(2023, 3, d, 8, 0) for d in (1, 3, 6, 9)] + [datetime(2023, 4, d, 8, 0) for d in (2, 5, 11)]
    rows = [["Collected", "Test", "Result", "Units"]]
    for t, d in zip(days, DRAWS):
        rows.append([t.strftime("%d/%m/%Y %H:%M"), "Neutrophils absolute", num(anc(d)), "10^9/L"])
    write_csv("ambiguous_dmy.csv", rows)
    expect("ambiguous_dmy.csv", times=days, anc_values=[anc(d) for d in DRAWS[: len(days)]],
           date_order="DMY")


def ampm_wide_csv() -> None:
    """A wide tab-separated export with a 12-hour clock ("8:00 AM") and the patient's MRN."""
    rows = [["MRN", "Result Date", "WBC", "Abs Neutrophils", "Platelets"]]
    for d in DRAWS:
        t = d[0]
        rows.append([MRN, t.strftime("%m/%d/%Y %I:%M %p"), num(d[1]), num(anc(d)), num(d[5])])
    write_csv("ampm_wide.tsv", rows, delimiter="\t")
    expect("ampm_wide.tsv", patient=MRN, other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


# --- second batch: what broke on first contact ------------------------------------------------


def epic_results_table() -> None:
    """Epic Results Review copied as a table: components down, "3/1/23 0800" stamps across,
    a "Latest Ref Rng" column between the names and the draws, flags glued to values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Component", "Latest Ref Rng & Units"] + [f"{t.month}/{t.day}/{t:%y} {t:%H%M}" for t, *_ in DRAWS])
    ws.append(["WBC", "4.0 - 11.0 K/uL"] + [f"{d[1]:g} (L)" if d[1] < 4 else f"{d[1]:g}" for d in DRAWS])
    ws.append(["Absolute Neutrophil Count", "1.8 - 7.7 K/uL"]
              + [f"{anc(d):g} (L)" if anc(d) < 1.8 else f"{anc(d):g}" for d in DRAWS])
    ws.append(["Hemoglobin", "12.0 - 16.0 g/dL"] + [f"{d[4]:g} (L)" for d in DRAWS])
    ws.append(["Platelets", "150 - 400 K/uL"] + [f"{d[5]:g} (L)" if d[5] < 150 else f"{d[5]:g}" for d in DRAWS])
    save_xlsx(wb, "epic_results_table.xlsx")
    expect("epic_results_table.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def referto_it() -> None:
    """Italian lab CSV: "Data prelievo", "Esame", "Risultato", "Unità di misura", 10^3/µL."""
    rows = [["Codice paziente", "Data prelievo", "Ora prelievo", "Esame", "Risultato", "Unità di misura", "Valori di riferimento"]]
    for d in DRAWS:
        t = d[0]
        day, clock = f"{t:%d/%m/%Y}", f"{t:%H:%M}"
        rows.append([MRN, day, clock, "Globuli bianchi", num(d[1], ","), "10^3/µL", "4,00 - 10,00"])
        rows.append([MRN, day, clock, "Neutrofili assoluti", num(anc(d), ","), "10^3/µL", "2,00 - 8,00"])
        rows.append([MRN, day, clock, "Emoglobina", num(d[4], ","), "g/dL", "12,0 - 16,0"])
        rows.append([MRN, day, clock, "Piastrine", num(d[5], ","), "10^3/µL", "150 - 450"])
    write_csv("referto_it.csv", rows, delimiter=";")
    expect("referto_it.csv", patient=MRN, other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def uitslagen_nl() -> None:
    """Dutch hospital export: "Afnamedatum", "Bepaling", "Uitslag", "Eenheid", 10^9/l."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Uitslagen"
    ws.append(["Patiëntnummer", "Afnamedatum", "Bepaling", "Uitslag", "Eenheid", "Referentiewaarde"])
    for d in DRAWS:
        t = d[0]
        stamp = f"{t:%d-%m-%Y %H:%M}"
        ws.append([MRN, stamp, "Leukocyten", num(d[1], ","), "10^9/l", "4,0-10,0"])
        ws.append([MRN, stamp, "Neutrofielen (abs)", num(anc(d), ","), "10^9/l", "1,5-7,5"])
        ws.append([MRN, stamp, "Hemoglobine", num(round(d[4] * 0.6206, 1), ","), "mmol/l", "7,5-10,0"])
    save_xlsx(wb, "uitslagen_nl.xlsx")
    hgb = [[t.isoformat(timespec="minutes"), round(round(d[4] * 0.6206, 1) * 1.611, 6)] for t, d in
           zip([d[0] for d in DRAWS], DRAWS)]
    expect("uitslagen_nl.xlsx", patient=MRN, other={"WBC": other_series("WBC", 1), "HGB": hgb})


def exames_pt() -> None:
    """Portuguese (Brazil) export: "Data da coleta", "Exame", "Resultado", "/mm³" counts."""
    rows = [["Prontuário", "Data da coleta", "Exame", "Resultado", "Unidade"]]
    for d in DRAWS:
        t = d[0]
        stamp = f"{t:%d/%m/%Y %H:%M}"
        rows.append([MRN, stamp, "Leucócitos", f"{round(d[1] * 1000):,}".replace(",", "."), "/mm³"])
        rows.append([MRN, stamp, "Neutrófilos", f"{round(anc(d) * 1000):,}".replace(",", "."), "/mm³"])
        rows.append([MRN, stamp, "Neutrófilos %", num(d[2] + d[3], ","), "%"])
    write_csv("exames_pt.csv", rows, delimiter=";", encoding="cp1252")
    expect("exames_pt.csv", patient=MRN, other={"WBC": other_series("WBC", 1)})


def camel_case_lis() -> None:
    """A database extract with camelCase and snake_case headings and ISO stamps with an offset."""
    rows = [["patientId", "specimenCollectedDateTime", "resultReportedDateTime", "testName", "resultValue", "resultUnits"]]
    for d in DRAWS:
        t = d[0]
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S") + "-05:00"
        reported = (t + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S") + "-05:00"
        rows.append([MRN, stamp, reported, "NEUTROPHILS ABSOLUTE", num(anc(d)), "10*3/uL"])
        rows.append([MRN, stamp, reported, "LEUKOCYTES", num(d[1]), "10*3/uL"])
    write_csv("camel_case_lis.csv", rows)
    expect("camel_case_lis.csv", patient=MRN, other={"WBC": other_series("WBC", 1)})


def wrapped_cells() -> None:
    """A German cumulative report: date and time on two lines in one cell, wrapped headings."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kumulativbefund"
    ws.append(["Kumulativbefund Hämatologie"])
    ws.append([])
    ws.append(["Parameter", "Einheit", "Referenz-\nbereich"] + [f"{t:%d.%m.%Y}\n{t:%H:%M}" for t, *_ in DRAWS])
    ws.append(["Leukozyten", "G/l", "4,0 - 10,0"] + [d[1] for d in DRAWS])
    ws.append(["Neutrophile\nabsolut", "G/l", "1,8 - 7,7"] + [anc(d) for d in DRAWS])
    ws.append(["Thrombozyten", "G/l", "150 - 400"] + [d[5] for d in DRAWS])
    save_xlsx(wb, "wrapped_cells.xlsx")
    expect("wrapped_cells.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def unit_in_result() -> None:
    """No unit column: the unit is in the test name or glued to the value, non-breaking spaces."""
    rows = [["Date", "Description", "Result"]]
    for d in DRAWS:
        t = d[0]
        stamp = f"{t:%Y-%m-%d %H:%M:%S}.000"
        rows.append([stamp, "ANC (x10^9/L)", f"{anc(d):g}\u00a0"])
        rows.append([stamp, "White cell count", f"{d[1]:g} x10^9/L"])
        rows.append([stamp, "Platelet count", f"{d[5]:g}\u00a0x10^9/L"])
    write_csv("unit_in_result.csv", rows)
    expect("unit_in_result.csv", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def grouped_header() -> None:
    """A wide sheet with a group row above the names ("Hematology" over several columns),
    the date column unnamed, and serial-number date cells with a time fraction."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Trend"
    ws.append(["", "Hematology", "", "", "Chemistry", ""])
    ws.merge_cells("B1:D1")
    ws.merge_cells("E1:F1")
    ws.append(["", "WBC\n(K/uL)", "ANC\n(K/uL)", "PLT\n(K/uL)", "Creatinine (mg/dL)", "CRP (mg/L)"])
    for d in DRAWS:
        ws.append([d[0], d[1], anc(d), d[5], 0.8, 4])
    for row in ws.iter_rows(min_row=3, min_col=1, max_col=1):
        row[0].number_format = "m/d/yyyy h:mm"
    save_xlsx(wb, "grouped_header.xlsx")
    expect("grouped_header.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def sunquest_text() -> None:
    """A fixed-width-looking report saved as tab text with status letters and a timezone."""
    rows = [["ACCESSION", "COLLECT DT/TM", "TEST", "RESULT", "FLAG", "UNITS", "STATUS"]]
    for i, d in enumerate(DRAWS):
        t = d[0]
        stamp = f"{t:%m/%d/%Y %H:%M} EST"
        rows.append([f"H{4400 + i}", stamp, "NEUT#", num(anc(d)), "L" if anc(d) < 1.8 else "", "K/uL", "F"])
        rows.append([f"H{4400 + i}", stamp, "WBC", num(d[1]), "L" if d[1] < 4 else "", "K/uL", "F"])
        if i == 0:
            rows.append([f"H{4400 + i}", stamp, "NEUT#", "", "", "K/uL", "X"])
    write_csv("sunquest_text.txt", rows, delimiter="\t")
    expect("sunquest_text.txt", other={"WBC": other_series("WBC", 1)},
           skipped_reasons=["cancelled or withdrawn by the lab (status 'X')"])


def ambiguous_names_flowsheet() -> None:
    """A UK flowsheet where two columns are both called "Neutrophils": only the units row
    (x10^9/L or %) tells the count from the percentage; the date column says "Time Taken"."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FBC"
    ws.append(["Time Taken", "White Cell Count", "Neutrophils", "Neutrophils", "Lymphocytes", "Platelets"])
    ws.append(["", "x10^9/L", "x10^9/L", "%", "x10^9/L", "x10^9/L"])
    for d in DRAWS:
        ws.append([d[0], d[1], anc(d), float(d[2] + d[3]), d[6], d[5]])
    for row in ws.iter_rows(min_row=3, min_col=1, max_col=1):
        row[0].number_format = "dd/mm/yyyy hh:mm"
    save_xlsx(wb, "ambiguous_names_flowsheet.xlsx")
    expect("ambiguous_names_flowsheet.xlsx", other={"LYMPH": other_series("LYMPH", 6),
                                                    "NEUT_PCT": [[d[0].isoformat(timespec="minutes"), float(d[2] + d[3])]
                                                                 for d in DRAWS]})


def newest_first() -> None:
    """Newest draw first, date and time-of-day cells apart, "Neutrophils" with the unit deciding,
    a logo area above, data starting in column C, and a totals line below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lab Report"
    ws["C2"] = "Regional Medical Center"
    ws["C3"] = "Laboratory results — all dates"
    ws["C5"] = "Patient:"
    ws["D5"] = "DOE, JANE"
    ws["C6"] = "DOB:"
    ws["D6"] = "1961-04-02"
    ws.append([])
    header = ["Date", "Time", "Test", "Results", "Units", "Abnormal", "Reference Range"]
    for col, text in enumerate(header, start=3):
        ws.cell(row=8, column=col, value=text)
    r = 9
    for d in reversed(DRAWS):
        t = d[0]
        for name, value, unit, flag in (("Neutrophils", anc(d), "x10^9/L", "L" if anc(d) < 1.8 else ""),
                                        ("Neutrophils", float(d[2] + d[3]), "%", ""),
                                        ("Haemoglobin", d[4], "g/dL", "L")):
            for col, v in enumerate([t.date(), t.time(), name, value, unit, flag, ""], start=3):
                ws.cell(row=r, column=col, value=v)
            ws.cell(row=r, column=3).number_format = "dd/mm/yyyy"
            ws.cell(row=r, column=4).number_format = "hh:mm"
            r += 1
    ws.cell(row=r + 1, column=3, value=f"Total results: {3 * len(DRAWS)}")
    save_xlsx(wb, "newest_first.xlsx")
    expect("newest_first.xlsx", other={"HGB": other_series("HGB", 4)})


def two_sheets_chemistry_first() -> None:
    """The first sheet is a long chemistry list; the blood counts are on the second sheet."""
    wb = openpyxl.Workbook()
    chem = wb.active
    chem.title = "Chemistry"
    chem.append(["Collected", "Test", "Result", "Units"])
    for d in DRAWS:
        for name, value, unit in (("Sodium", 139, "mmol/L"), ("Potassium", 4.1, "mmol/L"), ("Creatinine", 0.8, "mg/dL"),
                                  ("Urea", 5.1, "mmol/L"), ("Albumin", 38, "g/L"), ("IgG", 7.9, "g/L")):
            chem.append([d[0], name, value, unit])
    haem = wb.create_sheet("Haematology")
    haem.append(["Collected", "Test", "Result", "Units"])
    for d in DRAWS:
        haem.append([d[0], "Neutrophil count", anc(d), "10*9/L"])
        haem.append([d[0], "WBC", d[1], "10*9/L"])
    save_xlsx(wb, "two_sheets_chemistry_first.xlsx")
    expect("two_sheets_chemistry_first.xlsx", other={"WBC": other_series("WBC", 1)})


def quoted_multiline_csv() -> None:
    """A ';' CSV whose comment fields hold quoted line breaks and semicolons."""
    rows = [["Entnahme", "Analyt", "Wert", "Einheit", "Bemerkung"]]
    for i, d in enumerate(DRAWS):
        t = d[0]
        note = "Probe hämolytisch;\nWert unter Vorbehalt" if i == 3 else ""
        rows.append([f"{t:%d.%m.%Y %H:%M}", "Neutrophile abs.", num(anc(d), ","), "10^3/µl", note])
        rows.append([f"{t:%d.%m.%Y %H:%M}", "Leukozyten", num(d[1], ","), "10^3/µl", ""])
    write_csv("quoted_multiline.csv", rows, delimiter=";", encoding="cp1252")
    expect("quoted_multiline.csv", other={"WBC": other_series("WBC", 1)})


def paged_flowsheet() -> None:
    """A printed flowsheet saved as xlsx: the names and units rows repeat on every page, with a
    "Page n of m" line between pages."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Print"
    names = ["Date/Time", "WBC", "ANC", "Platelets"]
    units = ["", "K/uL", "K/uL", "K/uL"]
    pages = [DRAWS[i : i + 5] for i in range(0, len(DRAWS), 5)]
    for n, page in enumerate(pages, start=1):
        ws.append(names)
        ws.append(units)
        for d in page:
            ws.append([d[0], d[1], anc(d), d[5]])
        ws.append([f"Page {n} of {len(pages)}"])
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].is_date:
            row[0].number_format = "mm/dd/yyyy hh:mm"
    save_xlsx(wb, "paged_flowsheet.xlsx")
    expect("paged_flowsheet.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)},
           skipped_count=0)


def clarity_extract() -> None:
    """A research extract from Epic's Clarity database: table column names as headings, the
    specimen time and the (later) result time side by side, two name columns."""
    rows = [["PAT_MRN_ID", "ORDER_PROC_ID", "PROC_NAME", "SPECIMN_TAKEN_TIME", "RESULT_TIME", "COMPONENT_NAME",
             "ORD_VALUE", "ORD_NUM_VALUE", "REFERENCE_UNIT", "RESULT_FLAG", "RESULT_STATUS"]]
    for i, d in enumerate(DRAWS):
        t = d[0]
        taken = t.strftime("%Y-%m-%d %H:%M:%S")
        resulted = (t + timedelta(days=1, hours=3)).strftime("%Y-%m-%d %H:%M:%S")
        for name, value in (("NEUTROPHILS ABSOLUTE COUNT", anc(d)), ("WBC", d[1]), ("PLATELETS", d[5])):
            status = "Edited Result - FINAL" if i == 5 else "Final"
            rows.append([MRN, str(880000 + i), "CBC WITH DIFFERENTIAL", taken, resulted, name, num(value), num(value),
                         "K/uL", "Low" if value < 1.8 else "", status])
            if i == 5:  # the value first released, later edited
                rows.append([MRN, str(880000 + i), "CBC WITH DIFFERENTIAL", taken, resulted, name, num(value + 1),
                             num(value + 1), "K/uL", "", "Preliminary"])
        rows.append([MRN, str(880000 + i), "CBC WITH DIFFERENTIAL", taken, resulted, "SMEAR REVIEW", "See comment",
                     "9999999", "", "", "Final"])
    write_csv("clarity_extract.csv", rows)
    expect("clarity_extract.csv", patient=MRN, other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)},
           skipped_reasons=["superseded by a corrected result"])


def cumulative_pages() -> None:
    """A cumulative report printed in pages: every page has its own row of dates and of times,
    the last page only two draws. Values must take the dates of their own page."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Report"
    ws.append(["HAEMATOLOGY CUMULATIVE"])
    for page in (DRAWS[:5], DRAWS[5:10], DRAWS[10:]):
        ws.append([])
        ws.append(["LAB RESULTS", "", "Ref"] + [f"{t:%d/%m/%y}" for t, *_ in page])
        ws.append(["", "", ""] + [f"{t:%H:%M}" for t, *_ in page])
        ws.append(["Received", "", ""] + [f"{t + timedelta(hours=2):%d/%m/%y %H:%M}" for t, *_ in page])
        ws.append(["WBC", "10^9/L", "4.0-11.0"] + [d[1] for d in page])
        ws.append(["Neutrophils", "10^9/L", "2.0-7.5"] + [anc(d) for d in page])
        ws.append(["Platelets", "10^9/L", "150-400"] + [d[5] for d in page])
        ws.append(["Printed 20/04/23", "", "", "", "Page"])
    save_xlsx(wb, "cumulative_pages.xlsx")
    expect("cumulative_pages.xlsx", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def two_patients_by_name() -> None:
    """A ward export with two patients told apart only by their names (no identifier column):
    the user must choose; merging them would plot another patient's counts."""
    rows = [["Person Name", "Event", "Result Value", "Result Units", "Event End Date/Time"]]
    for d in DRAWS:
        stamp = d[0].strftime("%d-%b-%Y %H:%M").upper()
        rows.append(["DOE, JANE", "Neutrophil Abs", num(anc(d)), "x10^3/uL", stamp])
        other = (d[0] + timedelta(hours=1)).strftime("%d-%b-%Y %H:%M").upper()
        rows.append(["ROE, RICHARD", "Neutrophil Abs", "5.5", "x10^3/uL", other])
    write_csv("two_patients_by_name.csv", rows)
    expect("two_patients_by_name.csv", choose_patient="DOE, JANE", patients=["DOE, JANE", "ROE, RICHARD"])


def ambulatory_emr() -> None:
    """An ambulatory EMR export (athena, Allscripts): "Result Name" is the test, "Observation
    Date" the draw, reference range and flag, values with trailing spaces."""
    rows = [["Patient ID", "Order Date", "Observation Date", "Result Name", "Result Value", "Units",
             "Reference Range", "Abnormal Flag"]]
    for d in DRAWS:
        t = d[0]
        ordered = (t - timedelta(days=1)).strftime("%m/%d/%Y")
        stamp = t.strftime("%m/%d/%Y %I:%M %p")
        rows.append([MRN, ordered, stamp, "NEUTROPHILS, ABSOLUTE", f"{anc(d):.2f} ", "x10E3/uL", "1.4-7.0",
                     "L" if anc(d) < 1.4 else ""])
        rows.append([MRN, ordered, stamp, "WBC", f"{d[1]:.1f} ", "x10E3/uL", "3.4-10.8", "L" if d[1] < 3.4 else ""])
    write_csv("ambulatory_emr.csv", rows)
    expect("ambulatory_emr.csv", patient=MRN, other={"WBC": other_series("WBC", 1)})


def redcap_study() -> None:
    """A research database export (REDCap): snake_case headings, one row per visit, two study
    participants in one file (told apart by record_id)."""
    rows = [["record_id", "redcap_event_name", "lab_date", "lab_time", "wbc", "anc", "plt", "lab_comments"]]
    for i, d in enumerate(DRAWS):
        t = d[0]
        rows.append(["101", f"visit_{i + 1}_arm_1", t.strftime("%Y-%m-%d"), t.strftime("%H:%M"), num(d[1]),
                     num(anc(d)), num(d[5]), ""])
        rows.append(["102", f"visit_{i + 1}_arm_1", t.strftime("%Y-%m-%d"), "09:00", "6.1", "3.9", "260", "ok"])
    write_csv("redcap_study.csv", rows)
    expect("redcap_study.csv", choose_patient="101", other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def received_above_collected() -> None:
    """A cumulative report whose first row of dates is the time the lab received the sample;
    the draw times are in the row below. The values belong to the draw times."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cumulative"
    ws.append(["Received", ""] + [f"{t + timedelta(hours=5):%m/%d/%Y %H:%M}" for t, *_ in DRAWS])
    ws.append(["Collected", "Units"] + [f"{t:%m/%d/%Y %H:%M}" for t, *_ in DRAWS])
    ws.append(["WBC", "K/uL"] + [d[1] for d in DRAWS])
    ws.append(["ANC", "K/uL"] + [anc(d) for d in DRAWS])
    save_xlsx(wb, "received_above_collected.xlsx")
    expect("received_above_collected.xlsx", other={"WBC": other_series("WBC", 1)})


def laboratoriesvar_no() -> None:
    """A Norwegian hospital export: letters NFKD does not decompose ("Prøvetakingstidspunkt",
    "Nøytrofile granulocytter"), times as "kl. 08.00", decimal comma, ';'."""
    rows = [["Fødselsnummer", "Prøvetakingstidspunkt", "Analyse", "Resultat", "Enhet", "Referanseområde"]]
    for d in DRAWS:
        t = d[0]
        stamp = f"{t:%d.%m.%Y} kl. {t:%H.%M}"
        rows.append([MRN, stamp, "Leukocytter", num(d[1], ","), "10^9/L", "3,5 - 10,0"])
        rows.append([MRN, stamp, "Nøytrofile granulocytter", num(anc(d), ","), "10^9/L", "1,5 - 7,3"])
        rows.append([MRN, stamp, "Trombocytter", num(d[5], ","), "10^9/L", "145 - 390"])
    write_csv("laboratoriesvar_no.csv", rows, delimiter=";")
    expect("laboratoriesvar_no.csv", patient=MRN, other={"WBC": other_series("WBC", 1), "PLT": other_series("PLT", 5)})


def physician_tracking_sheet() -> None:
    """A sheet a physician keeps by hand: the differential in cells formatted as percent (Excel
    shows 28% and stores 0.28), no ANC, a notes column, a blank row and a mean at the bottom."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Labs"
    ws.append(["Date", "WBC (K/uL)", "Neut (%)", "Bands (%)", "Notes"])
    for i, d in enumerate(DRAWS):
        ws.append([d[0], d[1], d[2] / 100, d[3] / 100, "IVIG given" if i % 4 == 0 else None])
    ws.append([])
    ws.append(["Mean", "=AVERAGE(B2:B13)", None, None, None])
    for row in ws.iter_rows(min_row=2, max_row=13, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "0%"
    for row in ws.iter_rows(min_row=2, max_row=13, min_col=1, max_col=1):
        row[0].number_format = "d-mmm-yy h:mm"
    save_xlsx(wb, "physician_tracking.xlsx")
    expect("physician_tracking.xlsx", derived=True, other={"WBC": other_series("WBC", 1)})


# --- inputs a user can pick by mistake ------------------------------------------------------


def bad_inputs() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    (BAD / "empty.csv").write_bytes(b"")
    (BAD / "header_only.csv").write_text("Collected,Test,Result,Units\r\n")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(["Test", "Result", "Units"])
    ws.append(["ANC", 1.2, "K/uL"])
    ws.append(["WBC", 4.0, "K/uL"])
    save_xlsx(wb, "", BAD / "no_dates.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Readme"
    ws.append(["This workbook holds laboratory results."])
    res = wb.create_sheet("Results")
    res.append(["Collected", "Test", "Result", "Units"])
    for d in DRAWS[:3]:
        res.append([d[0], "ANC", anc(d), "K/uL"])
    res.sheet_state = "hidden"
    res.protection.sheet = True
    save_xlsx(wb, "", BAD / "hidden_results.xlsx")
    (BAD / "Befund Müller – Blutbild ü.csv").write_text(
        "Datum;Untersuchung;Ergebnis;Einheit\r\n01.03.2023;Leukozyten;4,0;G/l\r\n", encoding="utf-8"
    )
    # A password-protected xlsx is an OLE2 compound file holding EncryptionInfo and
    # EncryptedPackage streams; the directory entries name them in UTF-16.
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00")
    ole += b"\x00" * (512 - len(ole))
    ole += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 98 + "EncryptedPackage".encode("utf-16-le")
    ole += b"\x00" * (2048 - len(ole))
    (BAD / "password.xlsx").write_bytes(bytes(ole))
    write_zip(BAD / "spreadsheet.numbers", {
        "Index/Document.iwa": b"\x00\x01\x02", "Metadata/Properties.plist": b"bplist00", "preview.jpg": b"\xff\xd8\xff\xe0",
    })
    (BAD / "report.pdf.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    write_zip(BAD / "letter.docx.xlsx", {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "word/document.xml": b'<?xml version="1.0"?><document/>',
    })
    write_zip(BAD / "no_workbook_part.xlsx", {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "docProps/app.xml": b'<?xml version="1.0"?><Properties/>',
    })


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    path.write_bytes(repack(buf.getvalue()))

def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    epic_results_review()
    epic_flowsheet()
    cerner_powerchart()
    meditech_cumulative()
    laborbefund_de()
    resultats_fr()
    analitica_es()
    lis_loinc()
    portal_cells_per_ul()
    superscript_si()
    serials("serial_1900.xlsx", None)
    serials("serial_1904.xlsx", CALENDAR_MAC_1904)
    split_date_time()
    censored_flags()
    derived_from_segs()
    chemistry_mixed()
    libreoffice_ods()
    macro_workbook()
    hidden_cover_merged()
    paged_report()
    month_names()
    ambiguous_dates()
    ampm_wide_csv()
    epic_results_table()
    referto_it()
    uitslagen_nl()
    exames_pt()
    camel_case_lis()
    wrapped_cells()
    unit_in_result()
    grouped_header()
    sunquest_text()
    ambiguous_names_flowsheet()
    newest_first()
    two_sheets_chemistry_first()
    quoted_multiline_csv()
    paged_flowsheet()
    clarity_extract()
    cumulative_pages()
    two_patients_by_name()
    ambulatory_emr()
    redcap_study()
    received_above_collected()
    laboratoriesvar_no()
    physician_tracking_sheet()
    bad_inputs()
    lines = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in EXPECTED.items())
    (OUT / "expected.json").write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {len(EXPECTED)} exports and {len(list(BAD.iterdir()))} bad inputs ({total // 1024} KB) to {OUT}")


if __name__ == "__main__":
    main()
