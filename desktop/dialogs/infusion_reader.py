"""One read of an infusion record for its assistant: the administrations, or why they could not
be read, plus what the assistant needs to show the file (sheets, the first rows, the header row,
which column was read as what, the headings to choose from).

Runs in a worker thread, so nothing here touches a widget. The read itself is
:func:`analysis.treatment.medications.read_administrations` with the user's choices; a failure
is kept (not raised) so that the assistant still shows the file and its columns, which is when
the user needs them. Only a file that cannot be opened at all raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .record_read import RecordRead, kept_error, show_file

# The read_administrations keywords the assistant sets (and a project's settings replay).
OPTION_KEYS = ("product", "include_premedication", "patient", "date_order", "columns", "sheet",
               "header_row", "actions")
# Tints of the file preview (desktop/dialogs/sheet_preview.py TINTS) by column role.
ROLE_TINTS = {"drug": "test", "when": "time", "time": "time", "scheduled": "time", "dose": "result"}


@dataclass
class InfusionRead(RecordRead):
    meds: object = None  # MedicationImport
    extra: list = field(default_factory=list)


def options_of(settings) -> dict:
    """The assistant's options that replay saved InfusionImportSettings."""
    if settings is None:
        return {}
    values = {k: getattr(settings, k, None) for k in OPTION_KEYS}
    return {k: v for k, v in values.items() if v not in (None, {}, False)}


def read_infusions(path: Path, options: dict) -> InfusionRead:
    """Read the record with the user's choices; an InputError about its content is kept for the
    assistant, one about opening the file propagates."""
    from analysis.treatment.medications import read_administrations, read_sheets

    path = Path(path)
    sheets, _system = read_sheets(path)
    kwargs = {k: options[k] for k in OPTION_KEYS if options.get(k) not in (None, {})}
    read = InfusionRead(path, dict(options))
    read.meds = kept_error(read, lambda: read_administrations(path, **kwargs))
    if read.meds is None:  # refused for its unknown action words: what was read, to say what they mean
        read.meds = getattr(read.error, "partial", None)
    det = read.meds.detection if read.meds is not None else None
    if det is None:
        show_file(read, sheets)
    else:
        show_file(read, sheets, sheet=det.sheet, header_row=det.header_row, columns=det.columns, tints=ROLE_TINTS)
        for heading in det.drug_columns:  # a wide record: the drug is in the heading
            if heading in read.headings:
                read.tints[read.headings.index(heading)] = "result"
    return read


def same_patient(a: str, b: str) -> bool:
    """One patient written by two systems ("E0000001" and "0000001") counts as the same."""
    from analysis.case import _id_key

    return _id_key(a) == _id_key(b)


def fit_problems(meds, doses, lab_patient: str | None, lab_span) -> list[str]:
    """Why these infusions may not belong with the lab results, in words (empty: they fit).

    The same two checks as :meth:`analysis.case.Case.fit_warnings`, made before the case exists so
    that the user can still choose another file: the record is of another patient, or none of
    its infusions falls within the dates of the lab results.
    """
    problems = []
    record_patient = getattr(meds, "patient", None)
    if lab_patient and record_patient and not same_patient(lab_patient, record_patient):
        problems.append(f"This infusion record is for patient {record_patient}, "
                        f"the lab results for {lab_patient}.")
    if lab_span is not None and doses:
        first, last = lab_span
        times = [a.time for a in doses]
        if max(times) < first or min(times) > last:
            problems.append(f"None of these infusions ({min(times):%d %b %Y} to {max(times):%d %b %Y}) falls "
                            f"within the lab results ({first:%d %b %Y} to {last:%d %b %Y}).")
    return problems


def dose_lines(doses, premeds) -> list[tuple[tuple[str, ...], bool]]:
    """The assistant's Infusions table, in time order: (the cells of a line, premedication?);
    doses are numbered, premedication is listed for checking and never numbered."""
    from analysis.treatment.drugs import format_dose

    rows = sorted([(a, False) for a in doses] + [(a, True) for a in premeds], key=lambda r: r[0].time)
    out, number = [], 0
    for adm, is_premed in rows:
        number += not is_premed
        source = "entered by hand"
        if adm.source is not None and adm.source.row:  # a wide record or a MAR grid: the cell's column too
            source = f"row {adm.source.row}" + (f", {adm.source.column}" if adm.source.column else "")
        out.append(((
            "" if is_premed else str(number),
            f"{adm.time:%a %d %b %Y  %H:%M}",
            adm.medication or adm.product,
            format_dose(adm.dose, adm.dose_unit),
            format_dose(adm.dose_per_kg, "g/kg") if not is_premed else "",
            "premedication, not analysed" if is_premed else source,
        ), is_premed))
    return out
