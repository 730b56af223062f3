"""Write the format-1 project fixtures: projects as Nadir 0.1 (project version 1) saved them.

These files are history, not something to regenerate after a change: they were written by the
project code of commit 3db9716 (the last version that wrote format 1), and the tests check that
today's reader migrates them and gets the same numbers (``*.expected.json``, computed by that
same old code from the same files). To write them again, run this script in a checkout of that
commit:

    git worktree add /tmp/nadir-f1 3db9716 && cd /tmp/nadir-f1 && uv sync --locked -q
    uv run python /path/to/tests/data/projects/make_format1.py /path/to/tests/data/projects

Every project is saved the way the window saved it (the import options the import assistant
kept: patient, date order, sheet, product); afterwards the absolute source paths are rewritten
as paths relative to the project's folder, so that the fixtures open in any clone (a format-1
reader looked for a missing source next to the project; format 2 reads relative paths
relative to the project's folder). The SHA-256 of each source is left as saved.

``local_anc_labs.xlsx`` is the reference case's lab export with the neutrophil tests renamed to
a laboratory's local codes (``Q-GR#``, ``Q-GR%``) that Nadir cannot recognise, so the ANC has to
be mapped by hand in the import assistant.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "tests" / "data" / "ivig-mmn"
WINDOW = (date(2022, 9, 6), date(2022, 12, 27))
LOCAL_NAMES = {"NEUTROPHILS ABSOLUTE": "Q-GR#", "NEUTROPHILS %": "Q-GR%"}


def write_local_anc_labs(out: Path) -> Path:
    book = openpyxl.load_workbook(REFERENCE / "labs.xlsx")
    sheet = book.active
    for row in sheet.iter_rows(min_row=6):
        cell = row[3]  # "Component"
        if cell.value in LOCAL_NAMES:
            cell.value = LOCAL_NAMES[cell.value]
    path = out / "local_anc_labs.xlsx"
    book.properties.created = book.properties.modified = datetime(2026, 1, 1)  # stable bytes
    book.save(path)
    return path


def window_options(case) -> dict:
    """What desktop/dialogs/case_import.py kept of the import choices (format 1)."""
    det = case.labs.detection
    meds = case.medication_import
    options = {
        "patient": case.labs.patient,
        "date_order": det.date_order if det is not None else None,
        "sheet": det.sheet if det is not None else None,
        "product": meds.product if meds is not None else None,
    }
    return {k: v for k, v in options.items() if v}


def relative_sources(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for source in data["sources"].values():
        source["path"] = os.path.relpath(source["path"], path.parent).replace(os.sep, "/")
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(out: Path) -> None:
    from analysis.case import Case, Exclusion, load_case
    from analysis.figure.spec import FigureSettings
    from analysis.importing.observations import import_labs
    from analysis.model import Event
    from analysis.project import store
    from analysis.treatment.medications import read_administrations
    from desktop.cli import summary_json

    assert store.PROJECT_VERSION == 1, "run this in a checkout of commit 3db9716 (it writes format 1)"
    out.mkdir(parents=True, exist_ok=True)
    ref = {"labs": REFERENCE / "labs.xlsx", "infusions": REFERENCE / "infusions.xlsx",
           "events": REFERENCE / "events.csv"}
    default = dataclasses.replace(FigureSettings(), panel_b="cycle:1")

    def save(name: str, case, settings, sources, options) -> None:
        path = out / f"{name}.nadir"
        store.save_project(path, case, settings, sources=sources, import_options=options)
        relative_sources(path)
        expected = summary_json(case)
        (out / f"{name}.expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")

    # 1. the reference case, opened and saved without changes
    case = load_case(ref["labs"], ref["infusions"], ref["events"], window=WINDOW)
    save("reference", case, default, ref, window_options(case))

    # 2. the demo case (File > Open demo, then Save: the window kept no import options)
    from analysis.demo import demo_paths, load_demo

    labs, infusions, events = demo_paths()
    save("demo", load_demo(), default, {"labs": labs, "infusions": infusions, "events": events}, {})

    # 3. a lab export whose ANC was mapped by hand in the import assistant: the window kept only
    #    patient, date order, sheet and product, so this project lost the mapping when saved.
    local = write_local_anc_labs(out)
    lab = import_labs(local, mapping={"Q-GR#": "ANC"})
    meds = read_administrations(ref["infusions"], patient=lab.patient)
    case = Case(labs=lab, administrations=meds.administrations, medication_import=meds, window=WINDOW)
    sources = {"labs": local, "infusions": ref["infusions"]}
    save("hand_mapping", case, default, sources, window_options(case))
    # 3b. the same case saved through the project API with the mapping among the import
    #     options, which the format-1 reader replayed (the window never wrote it).
    save("hand_mapping_options", case, default, sources, {**window_options(case), "mapping": {"Q-GR#": "ANC"}})

    # 4. the reference case with the user's edits: an event, an excluded value, a corrected
    #    infusion, another window, and figure settings
    case = load_case(ref["labs"], ref["infusions"], ref["events"], window=(date(2022, 9, 27), date(2022, 12, 27)))
    last = case.anc.iloc[-1]
    case = dataclasses.replace(
        case,
        events=case.events + (Event("fever", "Fever 38.5", datetime(2022, 11, 15), datetime(2022, 11, 17)),),
        exclusions=(Exclusion(str(last["file"]), int(last["row"]), str(last["column"]), "haemolysed sample"),),
        administrations=tuple(dataclasses.replace(a, time=a.time.replace(hour=11)) if i == 1 else a
                              for i, a in enumerate(case.administrations)),
    )
    settings = dataclasses.replace(
        FigureSettings().with_preset("blood-double"), axis="dates", panel_b="overlay", font_pt=8.0,
        show_reference_range=True, reference_range=(1.8, 7.7), log_y=True, dpi=300)
    save("edited", case, settings, ref, window_options(case))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
