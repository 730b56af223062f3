"""Write a research-database lab extract and its dictionary of test codes into tests/data/research/.

    uv run python tests/data/make_research_extract.py

Modelled on MIMIC-IV's hosp module as its documentation describes it: ``labevents`` (labevent_id,
subject_id, hadm_id, specimen_id, itemid, order_provider_id, charttime, storetime, value,
valuenum, valueuom, ref_range_lower, ref_range_upper, flag, priority, comments), one row per
result, the test named only by ``itemid``; ``d_labitems`` (itemid, label, fluid, category) names
each itemid. Dates are shifted into the future (2180) as MIMIC's de-identification does; the
store time is later than the chart (collection) time. The same label exists for other fluids
(neutrophils in pleural fluid), which must not be read as blood counts. The codes and values
are made up for this test, not copied from the database.

``research/expected.json`` gives the ANC series (measured, or derived from WBC and the
neutrophil percentage where a draw has no absolute count) and the WBC series as written.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "research"

# itemid, label, fluid, category, unit, ref low, ref high
ITEMS = [
    (51301, "White Blood Cells", "Blood", "Hematology", "K/uL", 4.0, 11.0),
    (51256, "Neutrophils", "Blood", "Hematology", "%", 50.0, 70.0),
    (52075, "Absolute Neutrophil Count", "Blood", "Hematology", "K/uL", 1.6, 7.7),
    (51244, "Lymphocytes", "Blood", "Hematology", "%", 18.0, 42.0),
    (51222, "Hemoglobin", "Blood", "Hematology", "g/dL", 13.7, 17.5),
    (51265, "Platelet Count", "Blood", "Hematology", "K/uL", 150.0, 440.0),
    (50912, "Creatinine", "Blood", "Chemistry", "mg/dL", 0.5, 1.2),
    (51427, "Neutrophils", "Pleural", "Hematology", "%", None, None),
    (50821, "pO2", "Blood", "Blood Gas", "mm Hg", 85.0, 105.0),
]
# charttime, WBC, neutrophil %, ANC measured (None: the draw has only the differential), HGB, PLT
DRAWS = [
    (datetime(2180, 3, 6, 7, 55), 3.1, 38.0, 1.2, 12.1, 210),
    (datetime(2180, 3, 7, 6, 40), 1.6, 25.0, 0.4, 11.8, 190),
    (datetime(2180, 3, 9, 8, 5), 1.2, 25.0, None, 11.5, 170),
    (datetime(2180, 3, 14, 7, 30), 2.4, 37.5, 0.9, 11.9, 201),
    (datetime(2180, 3, 21, 9, 10), 3.6, 50.0, 1.8, 12.4, 230),
]
SUBJECT = 10004321


def write(name: str, rows: list[list]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (OUT / name).write_text(buf.getvalue(), encoding="utf-8")


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write("d_labitems.csv", [["itemid", "label", "fluid", "category"]]
          + [[i, label, fluid, cat] for i, label, fluid, cat, *_ in ITEMS])
    unit = {i: u for i, _l, _f, _c, u, *_ in ITEMS}
    ref = {i: (lo, hi) for i, *_, lo, hi in ITEMS}
    rows = [["labevent_id", "subject_id", "hadm_id", "specimen_id", "itemid", "order_provider_id", "charttime",
             "storetime", "value", "valuenum", "valueuom", "ref_range_lower", "ref_range_upper", "flag",
             "priority", "comments"]]
    event = 1000
    for n, (t, wbc, pct, anc, hgb, plt) in enumerate(DRAWS):
        specimen = 70000 + n * 13
        stored = t + timedelta(hours=1, minutes=17)
        results = [(51301, wbc), (51256, pct), (52075, anc), (51244, 30.0), (51222, hgb), (51265, plt),
                   (50912, 0.9)]
        if n == 1:  # a pleural tap the same day: its neutrophil % is no blood count
            results.append((51427, 80.0))
        for item, value in results:
            if value is None:
                continue
            lo, hi = ref[item]
            flag = "abnormal" if lo is not None and not lo <= value <= hi else ""
            event += 1
            rows.append([event, SUBJECT, 20001234 if n < 3 else "", specimen, item, "P41A2C" if n % 2 else "",
                         stamp(t), stamp(stored), f"{value:g}", value, unit[item],
                         "" if lo is None else lo, "" if hi is None else hi, flag, "ROUTINE" if n else "STAT",
                         "___" if item == 51222 and n == 0 else ""])
    write("labevents.csv", rows)
    expected = {
        "anc": [[t.isoformat(timespec="minutes"), anc if anc is not None else round(wbc * pct / 100, 6)]
                for t, wbc, pct, anc, *_ in DRAWS],
        "derived": [t.isoformat(timespec="minutes") for t, _w, _p, anc, *_ in DRAWS if anc is None],
        "wbc": [[t.isoformat(timespec="minutes"), wbc] for t, wbc, *_ in DRAWS],
        "dictionary": {str(i): label for i, label, fluid, *_ in ITEMS if fluid == "Blood"},
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
