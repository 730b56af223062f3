"""Write lab exports in the layouts of systems not yet in tests/data into tests/data/lab_corpus/.

    uv run python tests/data/make_lab_corpus.py

A new user's files, tried without editing them: each is modelled on what its system documents
about its export or data model (column names, date notation, delimiter, encoding), with the
twelve draws of tests/data/make_layouts.py (DRAWS), so that every file has one answer:

- Oracle Health (Cerner) Millennium CLINICAL_EVENT extract: EVENT_CD_DISP, RESULT_VAL,
  RESULT_UNITS_CD_DISP, NORMAL_LOW/HIGH, EVENT_END_DT_TM (the draw), VERIFIED_DT_TM;
- OMOP CDM MEASUREMENT table: measurement_source_value as LOINC (751-8, 6690-2), measurement_
  datetime, value_as_number, unit_source_value, range_low/high: no heading names the test;
- VistA lab data with FileMan dates (3230301.08) and VistA test names;
- Meditech Expanse (date and HHMM time in two columns), Allscripts Sunrise (title block,
  "Item Name", entered vs collected), athenahealth, eClinicalWorks (lab name + attribute),
  NextGen (tab-delimited, "Obs Date");
- a Swiss/German LIS (semicolon, cp1252, decimal comma, "Parameter", "Wert", "Dimension"),
  an Italian LIS ("Esame", "Risultato", "U.M.", "Data prelievo"), a Spanish one ("Prueba",
  "Fecha extracción"), a Dutch GLIMS export ("Bepaling", "Uitslag", "Afnamedatum");
- a Japanese 検査結果 export (Japanese headings and test names, era dates 令和5年3月1日);
- a sheet whose headings are made up (Col1 ... Col6) under a title block;
- a FHIR Observation extract flattened to CSV (LOINC code beside the display name, ISO instants
  with an offset) and a Dutch HiX flowsheet with "Afnamedatum" and "Afnametijd" apart;
- counts per µL with no unit anywhere ("Neutrophils" 1400);
- a Swedish export of the neutrophil count alone (the Nordic "B-" specimen prefix, Swedish
  headings, semicolons, decimal commas, "×10⁹/L"): a name that says absolute only by its unit,
  and one test, so no other name tells the test column.

``lab_corpus/expected.json`` gives each file's ANC series as written (and options a user
would give, such as ``--map``, though none needs one); tests/analysis/test_lab_corpus.py compares.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_layouts  # noqa: E402  (the twelve draws and the deterministic xlsx writer)
from make_layouts import DRAWS, anc  # noqa: E402

OUT = HERE / "lab_corpus"
EXPECTED: dict[str, dict] = {}


def expect(name: str, **options) -> None:
    EXPECTED[name] = {"anc": [[d[0].isoformat(timespec="minutes"), anc(d)] for d in DRAWS], **options}


def write_csv(name: str, rows: list[list], *, delimiter=",", encoding="utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


def save_xlsx(wb: openpyxl.Workbook, name: str) -> None:
    make_layouts.save_xlsx(wb, name, OUT / name)


def fileman(t: datetime) -> str:
    return f"{t.year - 1700}{t:%m%d}.{t:%H%M}".rstrip("0").rstrip(".")


def cerner_clinical_event() -> None:
    rows = [["PERSON_ID", "ENCNTR_ID", "EVENT_CD_DISP", "RESULT_VAL", "RESULT_UNITS_CD_DISP", "NORMAL_LOW",
             "NORMAL_HIGH", "NORMALCY_CD_DISP", "EVENT_END_DT_TM", "VERIFIED_DT_TM", "RESULT_STATUS_CD_DISP"]]
    for n, d in enumerate(DRAWS):
        t, verified = d[0], d[0].replace(hour=min(d[0].hour + 2, 23))
        for name, value, unit, lo, hi in (("WBC", d[1], "x10(3)/mcL", 4.5, 11), ("Neutrophils Absolute", anc(d),
                                          "x10(3)/mcL", 1.8, 7.7), ("Hemoglobin", d[4], "g/dL", 13.5, 17.5)):
            rows.append([18832, 9100 + n, name, make_layouts.num(value), unit, lo, hi,
                         "LOW" if value < lo else "", f"{t:%m/%d/%Y %H:%M:%S}", f"{verified:%m/%d/%Y %H:%M:%S}",
                         "Auth (Verified)"])
    write_csv("cerner_clinical_event.csv", rows)
    expect("cerner_clinical_event.csv")


def omop_measurement() -> None:
    rows = [["measurement_id", "person_id", "measurement_concept_id", "measurement_date", "measurement_datetime",
             "value_as_number", "unit_source_value", "range_low", "range_high", "measurement_source_value",
             "visit_occurrence_id"]]
    k = 0
    for d in DRAWS:
        for loinc, value, unit in (("6690-2", d[1], "10*3/uL"), ("751-8", anc(d), "10*3/uL"),
                                   ("718-7", d[4], "g/dL"), ("777-3", d[5], "10*3/uL")):
            k += 1
            rows.append([500000 + k, 77, 0, f"{d[0]:%Y-%m-%d}", f"{d[0]:%Y-%m-%d %H:%M:%S}", value, unit,
                         "", "", loinc, 3300])
    write_csv("omop_measurement.csv", rows)
    expect("omop_measurement.csv")


def vista_fileman() -> None:
    rows = [["PATIENT", "SPECIMEN", "COLLECTION DT", "TEST", "RESULT", "UNITS", "REF RANGE"]]
    for d in DRAWS:
        for name, value in (("WBC", d[1]), ("NEUT #", anc(d)), ("HGB", d[4])):
            rows.append(["NADIR,TEST", "BLOOD", fileman(d[0]), name, make_layouts.num(value),
                         "K/cmm" if name != "HGB" else "g/dL", ""])
    write_csv("vista_fileman.csv", rows)
    expect("vista_fileman.csv")


def meditech_expanse() -> None:
    rows = [["Test", "Result", "Flag", "Reference", "Units", "Collected Date", "Collected Time"]]
    for d in DRAWS:
        rows += [["WBC", make_layouts.num(d[1]), "", "4.8-10.8", "K/uL", f"{d[0]:%m/%d/%y}", f"{d[0]:%H%M}"],
                 ["ABS NEUT", make_layouts.num(anc(d)), "L" if anc(d) < 1.4 else "", "1.4-6.5", "K/uL",
                  f"{d[0]:%m/%d/%y}", f"{d[0]:%H%M}"]]
    write_csv("meditech_expanse.csv", rows)
    expect("meditech_expanse.csv")


def sunrise_results() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(["Sunrise Clinical Manager - Results Flowsheet Export"])
    ws.append(["Patient: TEST, NADIR", None, "Visit: 44120"])
    ws.append([])
    ws.append(["Item Name", "Value", "Unit", "Abnormality", "Reference Range", "Entered", "Collected"])
    for d in DRAWS:
        entered = d[0].replace(hour=min(d[0].hour + 3, 23))
        ws.append(["Absolute Neutrophils", anc(d), "10*3/uL", "", "1.5-8.0", entered, d[0]])
        ws.append(["Platelet Count", d[5], "10*3/uL", "", "150-400", entered, d[0]])
    save_xlsx(wb, "sunrise_results.xlsx")
    expect("sunrise_results.xlsx")


def athena_results() -> None:
    rows = [["PATIENTID", "ORDER TYPE", "OBSERVATION IDENTIFIER TEXT", "RESULT", "UNITS", "REFERENCE RANGE",
             "ABNORMAL FLAG", "OBSERVATION DATE/TIME", "RESULT STATUS"]]
    for d in DRAWS:
        for name, value in (("ABSOLUTE NEUTROPHILS", anc(d)), ("WHITE BLOOD CELL COUNT", d[1])):
            rows.append(["A-1042", "CBC W/ DIFF", name, make_layouts.num(value), "THOUSAND/UL", "",
                         "", f"{d[0]:%m/%d/%Y %I:%M %p}", "FINAL"])
    write_csv("athena_results.csv", rows)
    expect("athena_results.csv")


def ecw_labs() -> None:
    rows = [["Patient Acct No", "Lab Name", "Attribute", "Value", "Units", "Range", "Flag", "Collection Date",
             "Result Date"]]
    for d in DRAWS:
        for attribute, value in (("WBC", d[1]), ("Absolute Neutrophils", anc(d)), ("Neutrophils", d[2])):
            rows.append(["11823", "CBC With Differential", attribute, make_layouts.num(value),
                         "%" if attribute == "Neutrophils" else "x10E3/uL", "", "", f"{d[0]:%m/%d/%Y %H:%M}",
                         f"{d[0]:%m/%d/%Y}"])
    write_csv("ecw_labs.csv", rows)
    expect("ecw_labs.csv")


def nextgen_labs() -> None:
    rows = [["Person Nbr", "Obs Date", "Test Desc", "Result Value", "Units", "Ref Range", "Abnormal Flag"]]
    for d in DRAWS:
        rows += [["0000099", f"{d[0]:%Y%m%d%H%M%S}", "ANC", make_layouts.num(anc(d)), "K/uL", "1.5-7.8", ""],
                 ["0000099", f"{d[0]:%Y%m%d%H%M%S}", "WBC", make_layouts.num(d[1]), "K/uL", "4.0-11.0", ""]]
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows)
    (OUT / "nextgen_labs.txt").write_text(buf.getvalue(), encoding="utf-8")
    expect("nextgen_labs.txt")


def swisslab_de() -> None:
    rows = [["Auftragsnr.", "Material", "Parameter", "Wert", "Dimension", "Normbereich", "Abnahme"]]
    for n, d in enumerate(DRAWS):
        for name, value, unit in (("Leukozyten", d[1], "G/l"), ("Neutrophile abs.", anc(d), "G/l"),
                                  ("Hämoglobin", d[4], "g/dl")):
            rows.append([f"2303{n:04d}", "EDTA-Blut", name, make_layouts.num(value, ","), unit, "",
                         f"{d[0]:%d.%m.%Y %H:%M}"])
    write_csv("swisslab_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("swisslab_de.csv")


def lis_it() -> None:
    rows = [["Data prelievo", "Esame", "Risultato", "U.M.", "Valori di riferimento"]]
    for d in DRAWS:
        rows += [[f"{d[0]:%d/%m/%Y %H:%M}", "Neutrofili #", make_layouts.num(anc(d), ","), "10^9/L", "2,0 - 7,5"],
                 [f"{d[0]:%d/%m/%Y %H:%M}", "Globuli bianchi", make_layouts.num(d[1], ","), "10^9/L", "4,0 - 10,0"]]
    write_csv("lis_it.csv", rows, delimiter=";")
    expect("lis_it.csv")


def modulab_es() -> None:
    rows = [["NHC", "Fecha extracción", "Prueba", "Resultado", "Unidades", "Valores de referencia"]]
    for d in DRAWS:
        rows += [["554433", f"{d[0]:%d/%m/%Y %H:%M}", "Neutrófilos (abs)", make_layouts.num(anc(d), ","),
                  "10^3/µL", "2,0-7,5"],
                 ["554433", f"{d[0]:%d/%m/%Y %H:%M}", "Leucocitos", make_layouts.num(d[1], ","), "10^3/µL",
                  "4,0-11,0"]]
    write_csv("modulab_es.csv", rows, delimiter=";", encoding="utf-8")
    expect("modulab_es.csv")


def glims_nl() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Uitslagen"
    ws.append(["Afnamedatum", "Bepaling", "Uitslag", "Eenheid", "Referentiewaarde"])
    for d in DRAWS:
        ws.append([d[0], "Neutrofielen abs", anc(d), "10^9/L", "1.5-7.5"])
        ws.append([d[0], "Leukocyten", d[1], "10^9/L", "4.0-10.0"])
    save_xlsx(wb, "glims_nl.xlsx")
    expect("glims_nl.xlsx")


def kensa_ja() -> None:
    rows = [["患者ID", "採取日時", "検査項目", "結果", "単位", "基準値"]]
    for d in DRAWS:
        t = d[0]
        when = f"令和{t.year - 2018}年{t.month}月{t.day}日 {t:%H:%M}"
        rows += [["0012", when, "好中球数", make_layouts.num(anc(d)), "10^3/uL", "1.8-7.7"],
                 ["0012", when, "白血球数", make_layouts.num(d[1]), "10^3/uL", "3.3-8.6"]]
    write_csv("kensa_ja.csv", rows, encoding="utf-8-sig")
    expect("kensa_ja.csv")


def made_up_headings() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["Laboratory report (generated)"])
    ws.append([])
    ws.append(["Col1", "Col2", "Col3", "Col4", "Col5", "Col6"])
    for d in DRAWS:
        ws.append(["P-77", d[0], "ANC", anc(d), "10^3/uL", "1.8-7.7"])
        ws.append(["P-77", d[0], "WBC", d[1], "10^3/uL", "4.0-11.0"])
    save_xlsx(wb, "made_up_headings.xlsx")
    expect("made_up_headings.xlsx")


def fhir_observation() -> None:
    """FHIR R4 Observation resources flattened to one row each (a FHIR-to-CSV extract): the LOINC
    code and the test's display name side by side, ISO 8601 instants with an offset, a cancelled
    order without a value."""
    rows = [["id", "status", "code.coding.system", "code.coding.code", "code.text", "effectiveDateTime", "issued",
             "valueQuantity.value", "valueQuantity.unit", "interpretation.coding.code"]]
    for n, d in enumerate(DRAWS):
        t = d[0]
        for loinc, name, value, unit in (("751-8", "Neutrophils [#/volume] in Blood by Automated count", anc(d),
                                          "10*3/uL"), ("718-7", "Hemoglobin [Mass/volume] in Blood", d[4], "g/dL")):
            rows.append([f"obs-{loinc}-{n}", "final", "http://loinc.org", loinc, name, f"{t:%Y-%m-%dT%H:%M:%S}+01:00",
                         f"{t.replace(hour=min(t.hour + 2, 23)):%Y-%m-%dT%H:%M:%S}.000+01:00", make_layouts.num(value),
                         unit, ""])
    late = f"{DRAWS[-1][0]:%Y-%m-%d}T23:00:00+01:00"
    rows.append(["obs-x", "cancelled", "http://loinc.org", "751-8", rows[1][4], late, "", "", "", ""])
    write_csv("fhir_observation.csv", rows)
    expect("fhir_observation.csv")


def hix_wide_nl() -> None:
    """A Dutch (HiX) flowsheet, one row per draw: sample date and time in two one-word headings
    ("Afnamedatum", "Afnametijd"), decimal commas."""
    rows = [["Afnamedatum", "Afnametijd", "Leukocyten (10^9/l)", "Neutrofielen abs. (10^9/l)", "Hb (mmol/l)"]]
    for d in DRAWS:
        rows.append([f"{d[0]:%d-%m-%Y}", f"{d[0]:%H:%M}", make_layouts.num(d[1]).replace(".", ","),
                     make_layouts.num(anc(d), ","), "7,5"])
    write_csv("hix_wide_nl.csv", rows, delimiter=";")
    expect("hix_wide_nl.csv")


def counts_without_units() -> None:
    """A clinic's own export with no unit anywhere: "Neutrophils" and "Lymphocytes" as counts per
    µL (1400, not 1.4): values above 100 are no percentage."""
    rows = [["Date", "Test", "Value"]]
    for d in DRAWS:
        rows += [[f"{d[0]:%d/%m/%Y %H:%M}", "Neutrophils", f"{anc(d) * 1000:.0f}"],
                 [f"{d[0]:%d/%m/%Y %H:%M}", "Lymphocytes", "800"]]
    write_csv("counts_without_units.csv", rows)
    expect("counts_without_units.csv")


def neutrofila_se() -> None:
    rows = [["Provtagningsdatum", "Analys", "Resultat", "Enhet"]]
    for d in DRAWS:
        rows.append([f"{d[0]:%Y-%m-%d %H:%M}", "B-Neutrofila", make_layouts.num(anc(d), ","), "×10⁹/L"])
    write_csv("neutrofila_se.csv", rows, delimiter=";")
    expect("neutrofila_se.csv")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for write in (cerner_clinical_event, omop_measurement, vista_fileman, meditech_expanse, sunrise_results,
                  athena_results, ecw_labs, nextgen_labs, swisslab_de, lis_it, modulab_es, glims_nl, kensa_ja,
                  made_up_headings, fhir_observation, hix_wide_nl,
                  counts_without_units, neutrofila_se):
        write()
    (OUT / "expected.json").write_text(json.dumps(EXPECTED, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
