"""Open a new case step by step: the lab export, then the infusions (a record or typed in).

The main window's "Open lab results…" calls :func:`import_case`; it strings the assistants
together and hands the finished :class:`~analysis.case.Case` to ``window.load_case``. Every
step can be cancelled and nothing is loaded until the last one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..drops import LAB_SUFFIXES, PROJECT_SUFFIX
from ..folders import remember, start_folder

# Every format the readers take (analysis.importing.workbook): text exports too, not only workbooks.
READABLE = " ".join(f"*{suffix}" for suffix in LAB_SUFFIXES)
LAB_FILTER = f"Lab exports ({READABLE});;All files (*)"
MAR_FILTER = f"Medication records ({READABLE});;All files (*)"
SPREADSHEETS = LAB_FILTER  # the name older callers use


def _folder(sources: dict | None = None) -> str:
    return str(start_folder(sources))


def open_any_filter() -> str:
    """File > Open: lab exports and projects in one list."""
    return f"Lab exports and Nadir projects ({READABLE} *{PROJECT_SUFFIX});;{LAB_FILTER}"


def ask_open(parent: QWidget | None, title: str, file_filter: str = LAB_FILTER,
             sources: dict | None = None) -> Path | None:
    """A file to read; the dialog starts in the folder last used (or the lab export's)."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, _folder(sources), file_filter)
    if not chosen:
        return None
    remember(chosen)
    return Path(chosen)


INPUTS_TITLE = "Open the lab results (with the infusion record and events table, if you have them)"
ROLE_WORDS = {"labs": "lab results", "infusions": "an infusion record", "events": "an events table"}


def ask_open_inputs(parent: QWidget | None, sources: dict | None = None) -> list[Path]:
    """The lab export, or it with the infusion record and the events table chosen at once
    (Ctrl+click in the dialog): one dialog instead of three, and no question in between."""
    chosen, _ = QFileDialog.getOpenFileNames(parent, INPUTS_TITLE, _folder(sources), LAB_FILTER)
    if chosen:
        remember(chosen[0])
    return [Path(c) for c in chosen]


def sort_inputs(parent: QWidget | None, paths: list[Path]) -> dict[str, Path] | None:
    """Which of ``paths`` is the lab export, the infusion record and the events table, told by
    what each file holds (analysis.treatment.recognise); one file is the lab export. None (the
    reason said) when they are not one lab export with at most one record and one table."""
    from analysis.importing.code_dictionary import dictionary_and_extract
    from analysis.treatment.recognise import LABS, table_kind

    from ..workers import Cancelled, run_with_progress

    if len(paths) == 1:
        return {LABS: paths[0]}
    try:
        # Two files may be a research extract and the file naming its test codes (as dropped).
        pair = run_with_progress(parent, "Looking at the files…", dictionary_and_extract, *paths) \
            if len(paths) == 2 else None
        if pair is not None:
            return {LABS: pair[1], "dictionary": pair[0]}
        kinds = run_with_progress(parent, f"Looking at {len(paths)} files…", lambda: [table_kind(p) for p in paths])
    except Cancelled:
        return None
    roles: dict[str, list[Path]] = {}
    for path, kind in zip(paths, kinds, strict=True):
        roles.setdefault(kind or "", []).append(path)
    unknown = roles.pop("", [])
    problem = ""
    if unknown:
        problem = (f"Nadir cannot tell what {' and '.join(p.name for p in unknown)} "
                   f"hold{'s' if len(unknown) == 1 else ''}: no lab results, infusions or events found.")
    elif LABS not in roles:
        problem = "None of them holds lab results (blood counts)."
    for role, found in roles.items():
        if len(found) > 1:
            problem = f"{' and '.join(p.name for p in found)} each read as {ROLE_WORDS[role]}: Nadir takes one."
    if problem:
        QMessageBox.information(parent, "Nadir", f"{problem}\n\nChoose the lab export, and with it at most "
                                "one infusion record and one events table (or open them one at a time).")
        return None
    return {role: found[0] for role, found in roles.items()}


def ask_infusion_source(parent: QWidget | None) -> str | None:
    """"file", "hand" or None: where the infusion dates come from."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Infusions")
    box.setText("<b>Where are the infusion dates?</b>")
    box.setInformativeText(
        "Nadir needs the dates of the infusions to divide the results into treatment cycles. "
        "Open the medication-administration record (MAR) exported from the EHR, or type the "
        "infusions in.")
    from_file = box.addButton("Open the infusion record…", QMessageBox.ButtonRole.AcceptRole)
    by_hand = box.addButton("Enter them by hand…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(from_file)
    box.exec()
    clicked = box.clickedButton()
    return "file" if clicked is from_file else "hand" if clicked is by_hand else None


def default_settings(case):
    """Figure settings for a newly imported case (panel B on the first followed cycle), the same
    as ``nadir project`` and ``nadir render`` start from."""
    from analysis.figure.defaults import default_settings as defaults

    return defaults(case)


def lab_span(labs) -> tuple[datetime, datetime] | None:
    """First and last neutrophil count of a lab import (any result when there is no ANC)."""
    from analysis.model import ANC

    obs = labs.observations
    times = obs.loc[obs["analyte"] == ANC, "time"]
    if times.empty:
        times = obs["time"]
    times = times.dropna()
    if times.empty:
        return None
    return times.min().to_pydatetime(), times.max().to_pydatetime()


def first_infusion_default(labs) -> datetime | None:
    """Where a typed-in schedule starts: the day of the first lab result, at 9 in the morning
    (after a morning draw, so that draw is the first cycle's pre-infusion count)."""
    span = lab_span(labs)
    return span[0].replace(hour=9, minute=0, second=0, microsecond=0) if span else None


def import_case(window, labs_path: str | Path | list | tuple | None = None, dictionary: str | Path | None = None):
    """Lab export, then infusions; loads the case into ``window`` and returns it (None = cancelled).
    ``labs_path`` may also be several files dropped together (the lab export with the infusion
    record and the events table): sorted by what they hold, as when chosen in the first dialog.
    ``dictionary``: the file naming the export's test codes, when the two came together."""
    from analysis.case import Case

    from .lab_import_dialog import import_labs_interactively

    if isinstance(labs_path, (list, tuple)):
        paths = [Path(p) for p in labs_path]
    else:
        paths = [Path(labs_path)] if labs_path else ask_open_inputs(window)
    inputs = sort_inputs(window, paths)
    if not inputs:
        return None
    labs_path = inputs["labs"]
    labs = import_labs_interactively(window, labs_path, dictionary or inputs.get("dictionary"))
    if labs is None:
        return None

    sources = {"labs": labs_path}
    # An infusion record chosen with the labs goes straight to its assistant; cancelling it
    # asks where the infusions are, as without one.
    chosen = _record_in_assistant(window, labs, inputs["infusions"]) if "infusions" in inputs else None
    chosen = chosen or choose_infusions(window, labs, sources)
    if chosen is None:
        return None
    administrations, meds, path = chosen
    if path is not None:
        sources["infusions"] = path

    # The import settings travel with the data (labs.settings, meds.settings): the assistant's
    # hand choices (mapping, layout, header row ...) are in them, and the project keeps them.
    from analysis.figure.defaults import readable_window

    case = readable_window(Case(labs=labs, administrations=tuple(administrations), medication_import=meds))
    if hasattr(window, "load_case"):
        window.load_case(case, sources=sources, settings=default_settings(case))
        events = getattr(window, "events", None)
        # Only onto this case: the window keeps the one open before when the user cancels saving it.
        if "events" in inputs and events is not None and window.doc.case is case:
            events.load_events_file(inputs["events"])  # its own undo step, as Load file… is
    return case


def choose_infusions(window, labs, sources: dict | None = None, *, current=()):
    """Ask where the infusions come from and read or enter them: (administrations, medication
    import or None, record path or None); None when the user cancels. ``current`` (the case's
    infusions) starts the hand-entry list, so changing them is not typing them all again."""
    from .regimen_dialog import enter_regimen

    while True:
        source = ask_infusion_source(window)
        if source is None:
            return None
        if source == "hand":
            entered = enter_regimen(window, start=first_infusion_default(labs), existing=current)
            if entered is not None:
                return tuple(entered), None, None
            continue
        path = ask_open(window, "Open the infusion record", MAR_FILTER, sources)
        if path is None:
            continue
        chosen = _record_in_assistant(window, labs, path)
        if chosen is not None:
            return chosen


def change_infusions(window, doc, path: str | Path | None = None) -> bool:
    """Replace the open case's infusions (a record, or by hand) as one undoable change; ``path``
    (a record dropped on the window) goes straight to the infusion-record assistant."""
    case = doc.case
    if case is None:
        return False
    if path is not None:
        chosen = _record_in_assistant(window, case.labs, Path(path))
    else:
        chosen = choose_infusions(window, case.labs, doc.sources, current=case.administrations)
    return _set_infusions(doc, chosen)


def infusion_record_assistant(window, doc) -> bool:
    """Infusions > Import assistant: the case's infusion record in its assistant, read with the
    choices made before (they are in the project), to check or correct them; without a record,
    one the user chooses. One undoable change."""
    from .infusion_reader import options_of

    case = doc.case
    if case is None:
        return False
    current = doc.sources.get("infusions")
    if current is None:
        path = ask_open(window, "Open the infusion record", MAR_FILTER, doc.sources)
        if path is None:
            return False
        return _set_infusions(doc, _record_in_assistant(window, case.labs, path))
    meds = case.medication_import
    options = options_of(meds.settings) if meds is not None else {}
    return _set_infusions(doc, _record_in_assistant(window, case.labs, Path(current), options))


def _record_in_assistant(window, labs, path: Path, options: dict | None = None):
    """(administrations, medication import, path) from the assistant on ``path``; None = cancelled."""
    from .infusion_dialog import infusion_assistant

    dialog = infusion_assistant(window, path, patient=labs.patient, lab_span=lab_span(labs), options=options)
    if dialog is None:
        return None
    try:
        if dialog.exec() == dialog.DialogCode.Accepted:
            return tuple(dialog.administrations), dialog.medication_import, path
        return None
    finally:
        dialog.deleteLater()


def _set_infusions(doc, chosen) -> bool:
    from ..commands import SetInfusionsCommand

    if chosen is None:
        return False
    administrations, meds, path = chosen
    text = f"Change the infusions ({len(administrations)} {'from ' + path.name if path else 'entered by hand'})"
    doc.push(SetInfusionsCommand(doc, administrations, meds, text))
    if path is not None:
        doc.sources["infusions"] = path
    else:
        doc.sources.pop("infusions", None)
    return True
