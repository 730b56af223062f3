"""Writes the bundled demo case (labs.xlsx, infusions.xlsx, events.csv) beside this script.

A synthetic patient whose record reproduces the case report: the numbers below are the whole
story. Run ``uv run python resources/demo/make_demo.py`` after changing them; the loader is
``analysis/demo.py``.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

PATIENT_ID = "DEMO-0001"
PATIENT_NAME = "DEMO, PATIENT"
WEIGHT_KG = 80.0

# Monitored period: (collection time, WBC, ANC). Pre-infusion draws at 08:30 on infusion days,
# day-after draws at 09:00; cycle 1 also weekly (the case report's panel B).
MONITORED = [
    ("2022-08-17 09:10", 1.6, 0.3),  # referral
    ("2022-09-06 08:30", 2.3, 0.8),
    ("2022-09-07 09:00", 1.9, 0.4),
    ("2022-09-14 09:00", 1.8, 0.3),
    ("2022-09-21 09:00", 2.3, 0.8),
    ("2022-09-27 08:30", 2.6, 1.1),
    ("2022-09-28 09:00", 1.9, 0.4),
    ("2022-10-17 08:30", 2.7, 1.2),
    ("2022-10-18 09:00", 3.6, 2.4),  # COVID-19
    ("2022-11-08 08:30", 3.1, 1.6),
    ("2022-11-09 09:00", 2.3, 0.8),
    ("2022-11-29 08:30", 2.2, 0.7),
    ("2022-11-30 09:00", 1.9, 0.4),
    ("2022-12-20 08:30", 2.6, 1.1),
    ("2022-12-21 09:00", 2.0, 0.5),
]
MONITORED_INFUSIONS = ["2022-09-06", "2022-09-27", "2022-10-17", "2022-11-08", "2022-11-29", "2022-12-20"]
EVENTS = [("2022-10-18", "COVID-19 infection (PCR positive)", "infection")]

# Earlier regimens: (first infusion, interval in days, doses, dose in mg/kg)
REGIMENS = [
    ("2012-08-14", 35, 20, 600),
    ("2014-07-08", 28, 40, 600),
    ("2017-07-25", 28, 40, 900),
    ("2020-07-07", 21, 28, 1000),
]


def _lab_rows() -> list[list]:
    rng = random.Random(20221206)  # fixed: the demo must be the same on every machine
    draws: list[tuple[datetime, float, float]] = []
    day = datetime(2012, 10, 22, 10, 5)
    while day < datetime(2022, 6, 1):  # about twice a year, ANC 0.8-1.9 as the report states
        anc = round(rng.uniform(0.8, 1.9), 1)
        draws.append((day, round(anc / rng.uniform(0.45, 0.6), 1), anc))
        day += timedelta(days=rng.randint(150, 220))
    draws[0] = (draws[0][0], draws[0][1], 1.9)
    draws[-1] = (draws[-1][0], draws[-1][1], 0.8)
    for when, wbc, anc in MONITORED:
        draws.append((datetime.fromisoformat(when), wbc, anc))

    rows = []
    for when, wbc, anc in draws:
        result_time = when + timedelta(minutes=47)
        neut_pct = round(100 * anc / wbc)
        lymph = round(rng.uniform(0.9, 1.4), 1)
        hgb = round(rng.uniform(13.4, 15.0), 1)
        plt = rng.randint(170, 290)
        for component, value, unit, ref, low in (
            ("WBC", wbc, "K/uL", "4 - 11", 4.0),
            ("NEUTROPHILS ABSOLUTE", anc, "K/uL", "1.8 - 7.7", 1.8),
            ("NEUTROPHILS %", neut_pct, "%", "40 - 75", 40),
            ("LYMPHOCYTES ABSOLUTE", lymph, "K/uL", "1 - 4.8", 1.0),
            ("HEMOGLOBIN", hgb, "g/dL", "13.2 - 17.1", 13.2),
            ("PLATELETS", plt, "K/uL", "150 - 400", 150),
        ):
            flag = ("LL" if component.startswith("NEUTROPHILS A") and value < 0.5 else "L") if value < low else ""
            text = f"{value:g}"
            rows.append(
                [PATIENT_ID, PATIENT_NAME, "CBC WITH AUTO DIFFERENTIAL", component, when, result_time,
                 text, unit, ref, flag, "Final"]
            )
    return rows


def _mar_rows() -> list[list]:
    rows = []
    for first, every, doses, mg_per_kg in REGIMENS:
        start = datetime.fromisoformat(first).replace(hour=9, minute=30)
        grams = WEIGHT_KG * mg_per_kg / 1000
        regimen = f"{mg_per_kg / 1000:g} g/kg q{every // 7}w" if mg_per_kg >= 1000 else f"{mg_per_kg} mg/kg q{every // 7}w"
        for k in range(doses):
            t = start + timedelta(days=every * k)
            if t >= datetime(2022, 9, 1):
                break
            rows.append([PATIENT_ID, "ACETAMINOPHEN 500 MG TABLET", t - timedelta(minutes=30), "Given", 1000, "mg", "Oral", WEIGHT_KG, ""])
            rows.append([PATIENT_ID, "IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN", t, "Given", grams, "g", "Intravenous", WEIGHT_KG, regimen])
    for day in MONITORED_INFUSIONS:
        t = datetime.fromisoformat(day).replace(hour=9, minute=30)
        product = "IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN"
        rows.append([PATIENT_ID, "ACETAMINOPHEN 500 MG TABLET", t - timedelta(minutes=30), "Given", 1000, "mg", "Oral", WEIGHT_KG, ""])
        rows.append([PATIENT_ID, "DIPHENHYDRAMINE 25 MG CAPSULE", t - timedelta(minutes=30), "Given", 25, "mg", "Oral", WEIGHT_KG, ""])
        rows.append([PATIENT_ID, product, t, "New Bag", 80, "g", "Intravenous", WEIGHT_KG, "1 g/kg q3w"])
        rows.append([PATIENT_ID, product, t + timedelta(minutes=30), "Rate Change", 80, "g", "Intravenous", WEIGHT_KG, "1 g/kg q3w"])
        rows.append([PATIENT_ID, product, t + timedelta(hours=4), "Stopped", None, None, "Intravenous", WEIGHT_KG, "1 g/kg q3w"])
    return rows


def _save(wb, path: Path) -> None:
    # Fixed document properties: regenerating the demo changes no visible metadata.
    fixed = datetime(2023, 1, 5, 14, 2)
    wb.properties.creator = "Nadir demo"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)


def write_demo(folder: Path) -> tuple[Path, Path, Path]:
    """Write labs.xlsx, infusions.xlsx and events.csv of the demo case into ``folder``."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    labs = Workbook()
    ws = labs.active
    ws.title = "Results"
    ws.append(["Lab Results Export"])
    ws.append([f"Patient: {PATIENT_NAME}    MRN: {PATIENT_ID}    DOB: 01/01/1966"])
    ws.append(["Date range: 08/01/2012 - 12/31/2022    Printed: 01/05/2023 14:02"])
    ws.append([])
    ws.append(["MRN", "Patient Name", "Order Name", "Component", "Collection Date/Time", "Result Date/Time",
               "Result", "Units", "Reference Range", "Abnormal Flag", "Result Status"])
    for row in _lab_rows():
        ws.append(row)
    for col in "EF":
        for cell in ws[col][5:]:
            cell.number_format = "mm/dd/yyyy hh:mm"
    _save(labs, folder / "labs.xlsx")

    mar = Workbook()
    ws = mar.active
    ws.title = "MAR"
    ws.append(["MRN", "Medication", "Administration Date/Time", "Action", "Dose", "Dose Unit", "Route", "Weight (kg)", "Regimen"])
    for row in _mar_rows():
        ws.append(row)
    for cell in ws["C"][1:]:
        cell.number_format = "mm/dd/yyyy hh:mm"
    _save(mar, folder / "infusions.xlsx")

    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Date", "Event", "Type"])
        writer.writerows(EVENTS)
    return folder / "labs.xlsx", folder / "infusions.xlsx", folder / "events.csv"


if __name__ == "__main__":
    for path in write_demo(Path(__file__).resolve().parent):
        print(f"wrote {path}")
