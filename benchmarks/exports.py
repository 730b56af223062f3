"""Generated lab exports for benchmarks: realistic shape, synthetic values, no real patient."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

# (component, unit, low, high, reference range): ten analytes per draw, as a CBC with
# differential plus a small chemistry panel comes out of an EHR "Results" export.
PANEL = [
    ("WBC", "K/uL", 1.0, 9.0, "4 - 11"),
    ("NEUTROPHILS ABSOLUTE", "K/uL", 0.1, 6.0, "1.8 - 7.7"),
    ("NEUTROPHILS %", "%", 20, 75, "40 - 75"),
    ("BANDS %", "%", 0, 8, "0 - 5"),
    ("LYMPHOCYTES ABSOLUTE", "K/uL", 0.5, 3.5, "1 - 4.8"),
    ("HEMOGLOBIN", "g/dL", 9.0, 16.5, "13.2 - 17.1"),
    ("PLATELETS", "K/uL", 90, 420, "150 - 400"),
    ("SODIUM", "mmol/L", 131, 146, "135 - 145"),
    ("POTASSIUM", "mmol/L", 3.2, 5.4, "3.5 - 5.1"),
    ("CREATININE", "mg/dL", 0.6, 1.6, "0.7 - 1.3"),
]


def long_export_rows(n_rows: int, seed: int = 1) -> list[list]:
    rng = random.Random(seed)
    rows = []
    t = datetime(2014, 1, 6, 8, 0)
    while len(rows) < n_rows:
        t += timedelta(hours=rng.randint(6, 20), minutes=rng.randint(0, 59))
        for component, unit, lo, hi, ref in PANEL:
            value = rng.uniform(lo, hi)
            text = f"{value:.1f}" if hi < 50 else f"{value:.0f}"
            flag = ""
            if component == "NEUTROPHILS ABSOLUTE" and value < 0.2:
                text, flag = "<0.2", "LL"
            elif rng.random() < 0.15:
                flag = "L"
                text = f"{text} L" if rng.random() < 0.3 else text
            rows.append(["E0000042", "BENCH, PATIENT", "CBC WITH AUTO DIFFERENTIAL", component, t,
                         t + timedelta(minutes=45), text, unit, ref, flag, "Final"])
            if len(rows) == n_rows:
                break
    return rows


def write_long_export(path: Path, n_rows: int = 100_000) -> Path:
    """An EHR "Results" export with a title block, one row per component per draw."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Results")
    ws.append(["Lab Results Export"])
    ws.append(["Patient: BENCH, PATIENT    MRN: E0000042"])
    ws.append(["Printed: 01/05/2024 14:02"])
    ws.append([])
    ws.append(["MRN", "Patient Name", "Order Name", "Component", "Collection Date/Time", "Result Date/Time",
               "Result", "Units", "Reference Range", "Abnormal Flag", "Result Status"])
    for row in long_export_rows(n_rows):
        ws.append(row)
    wb.save(path)
    return path


def write_long_record(folder: Path, draws: int = 5_000, years: float = 10.0) -> tuple[Path, Path]:
    """A ``years``-long record: ``draws`` CBCs (ANC dipping after each infusion) and an IVIG
    infusion every 21 days, as lab export + medication-administration record."""
    import math

    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    start = datetime(2014, 1, 7, 9, 30)
    span_h = years * 365.25 * 24
    infusions = [start + timedelta(days=21 * k) for k in range(int(years * 365.25 / 21))]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Results")
    ws.append(["Collected", "Component", "Result", "Units"])
    for k in range(draws):
        t = start + timedelta(hours=span_h * k / draws + rng.uniform(-2, 2))
        day = ((t - start).total_seconds() / 86400) % 21
        anc = 1.2 - 0.8 * math.exp(-day / 4) + rng.gauss(0, 0.1)
        ws.append([t, "ANC", f"{max(anc, 0.05):.2f}", "K/uL"])
        ws.append([t, "WBC", f"{max(anc, 0.05) / 0.45:.1f}", "K/uL"])
    labs = folder / "record_labs.xlsx"
    wb.save(labs)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("MAR")
    ws.append(["Medication", "Administration Date/Time", "Action", "Dose", "Dose Unit", "Weight (kg)"])
    for t in infusions:
        ws.append(["IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN", t, "Given", 70, "g", 70])
    mar = folder / "record_mar.xlsx"
    wb.save(mar)
    return labs, mar
