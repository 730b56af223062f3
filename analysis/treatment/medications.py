"""Infusions: read a treatment record, keep one administration per dose, choose the drug.

A medication-administration record lists every pump event (new bag, rate change, stopped) and
every premedication next to the drug of interest; a flowsheet lists rate checks; a dispensing
log lists what left the pharmacy. Nadir needs one administration per dose, so this module finds
the columns by content (:mod:`analysis.treatment.columns`), reads each action by meaning
(:mod:`analysis.treatment.actions`), names every drug (:mod:`analysis.treatment.drugs`), counts
only the starts of doses, and says in words what it left out. Grouping into courses is
CYCLE-RULES rule 1 (:mod:`analysis.treatment.courses`). The rows that are doses are read by
:mod:`analysis.treatment.record_rows`, the drug chosen by :mod:`analysis.treatment.drug_choice`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from analysis.errors import InputError
from analysis.importing.gc_pause import collector_paused
from analysis.importing.limits import short_text_cache
from analysis.model import Administration, SkippedRow
from analysis.treatment.column_profiles import text_of
from analysis.treatment.columns import Located, TreatmentColumns, locate
from analysis.treatment.courses import course_label, group_courses  # noqa: F401  (re-exported)
from analysis.treatment.drug_choice import COLLAPSE_HOURS, Record, choose, collapse, drug_key
from analysis.treatment.drugs import (  # noqa: F401  (re-exported)
    IMMUNE_GLOBULIN,
    MEDICATIONS,
    Medication,
    family_of,
    find_medication,
    normalise_unit,
    product_name,
    stated_dose,
)
from analysis.treatment.manual import manual_administration, regimen  # noqa: F401  (re-exported)
from analysis.treatment.record_returns import cancel_returned, charted_removals
from analysis.treatment.record_rows import (
    Dose,
    action_meanings,
    action_words,
    cell,
    dose_of,
    dose_times,
    doses_of,
    in_pounds,
    record_patient,
    weight_of,
)
from analysis.treatment.settings import InfusionImportSettings


@dataclass(frozen=True)
class MedicationImport:
    """What a treatment record gave: the chosen drug's administrations and what was left out."""

    administrations: tuple[Administration, ...]
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[str, ...] = ()
    products: dict[str, int] = field(default_factory=dict)  # product name -> doses found
    product: str | None = None  # the drug chosen ("IVIG"), or a regimen ("Rituximab + Bendamustine")
    premedication: tuple[Administration, ...] = ()  # only when include_premedication
    patient: str | None = None
    patients: tuple[str, ...] = ()
    detection: TreatmentColumns | None = None  # the columns read, for the assistant and the project
    # Every distinct word of the action column: (as written, rows, what Nadir read it as), for
    # the assistant to show and let the user correct.
    actions: tuple[tuple[str, int, str], ...] = ()
    settings: InfusionImportSettings | None = None  # what reads the record again the same way
    notes: tuple[str, ...] = ()  # how the cycle rules apply to this treatment (a daily drug)


def read_sheets(path: str | Path) -> tuple[list[tuple[str, list[list]]], int]:
    """(every sheet as (name, rows), Excel date system), opened with the project's safe checks."""
    from analysis.importing.workbook import open_workbook

    book = open_workbook(path)
    try:
        return [(name, book.rows(name)) for name in book.sheet_names], book.date_system
    finally:
        book.close()


def read_administrations(
    path: str | Path,
    *,
    product: str | None = None,
    include_premedication: bool = False,
    patient: str | None = None,
    date_order: str | None = None,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    actions: dict[str, str] | None = None,
    settings: InfusionImportSettings | None = None,
) -> MedicationImport:
    """One :class:`Administration` per dose of the chosen drug in a treatment record.

    ``product`` chooses the drug (a family such as "IVIG", a brand, any name in the file, or
    several joined by "+" for a regimen); by default immune globulin when the file has it, else
    the most frequent drug that is not premedication together with the drugs given with it.
    ``columns`` overrides the detected column roles by heading ({"drug": "Order Description"});
    ``header_row`` (1-based) says where the headings are; ``actions`` gives the meaning of action
    words ({"Gegeben (ext.)": "start"}: start, part, not given, no dose, return).
    Rows whose action starts a dose count; parts of a dose are ignored; doses marked not given,
    held, postponed or refused, and actions Nadir does not know, are returned as skipped rows, as
    is a removal from a dispensing cabinet that a return cancels (:mod:`.record_returns`).
    Without an action column, rows of one product less than 12 h apart are one dose.
    ``settings`` replays a saved :class:`InfusionImportSettings` (the keywords override it); the
    result's ``settings`` reproduce this read, the columns read included.
    """
    with collector_paused():  # thousands of rows and records, no cycles (see gc_pause)
        return _read(Path(path), _asked(settings, product=product, patient=patient, date_order=date_order,
                                        include_premedication=include_premedication, columns=columns,
                                        sheet=sheet, header_row=header_row, actions=actions))


def _read(path: Path, asked: InfusionImportSettings) -> MedicationImport:
    """read_administrations with the keywords and the replayed settings made one."""
    sheets, date_system = read_sheets(path)
    loc = locate(path, sheets, asked.columns, asked.sheet, asked.header_row)
    if asked.actions:
        loc.actions = action_meanings(asked.actions, path)
    warnings: list[str] = []
    skipped: list[SkippedRow] = []
    patients, chosen_patient = record_patient(loc, asked.patient, path)
    records = _records(loc, path, chosen_patient, date_system, asked.date_order, skipped, warnings)
    counts = Counter(adm.product for adm, _m, _a in records)
    products = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not records:
        unknown = _unknown_actions(skipped)
        if unknown and "action" in loc.roles:
            refusal = InputError(
                f"holds no medication administrations that Nadir can count: its column "
                f"{loc.headings[loc.roles['action']]!r} holds {unknown[0].split(': ', 1)[1].rstrip('.')}.", path,
                "Say what each means with --infusion-action WORD=MEANING (start, part, 'not given', 'no dose', "
                "return), "
                "e.g. --infusion-action 6=start, or in the window's infusion-record assistant.")
            # What was read, for the assistant to show the words and let the user say what they mean.
            refusal.partial = MedicationImport(  # type: ignore[attr-defined]
                administrations=(), skipped=tuple(skipped), warnings=tuple(warnings), detection=loc.detection(),
                actions=action_words(loc), settings=asked)
            raise refusal
        raise InputError("holds no medication administrations that were given.", path,
                         "Check that this is the medication-administration record (MAR) export.")

    if "drug" not in asked.columns and all(med is None for _r, med, _a in records):
        _refuse_lab_results(loc, path)
    selected, label = choose(records, asked.product, asked.include_premedication, path, products, warnings)
    chosen = tuple(rec.administration() for rec, _m, _a in records if selected(rec))
    premeds = ()
    if asked.include_premedication:
        premeds = tuple(rec.administration() for rec, med, _a in records
                        if med is not None and med.premedication and not selected(rec))
    if "action" not in loc.roles:
        warnings.append(f"{path.name} has no action/status column: every row was taken as a dose given, "
                        f"and rows of one drug less than {COLLAPSE_HOURS} h apart as one dose.")
    warnings.extend(_unknown_actions(skipped))
    if loc.origin is not None:  # a grid of times: each dose and skipped row points to its cell
        chosen, premeds = (tuple(replace(a, source=loc.place(a.source)) for a in adms) for adms in (chosen, premeds))
        skipped = [replace(s, source=loc.place(s.source)) for s in skipped]
        warnings.append(f"{path.name} gives one column per administration time: each filled cell was read as "
                        "what was done at that time.")
    return MedicationImport(
        administrations=chosen, skipped=tuple(skipped), warnings=tuple(warnings), products=products,
        product=label, premedication=premeds, patient=chosen_patient, patients=tuple(patients),
        detection=loc.detection(), notes=tuple(_daily_note(chosen, label)), actions=action_words(loc),
        settings=replace(asked, product=label or asked.product, patient=chosen_patient))


def _refuse_lab_results(loc: Located, path: Path) -> None:
    """Refuse a lab export given as the treatment record. Its rows read as doses (a test panel's
    name as the drug, a result and its unit as the dose), so the refusal comes from what the
    table is: no row names a drug Nadir knows (checked first, so a treatment record pays
    nothing), and its first rows name lab tests, as :mod:`.recognise` tells a dropped file."""
    from analysis.treatment.recognise import HEAD_ROWS, analyte_cells

    if analyte_cells([(loc.sheet, loc.rows[:HEAD_ROWS])]) >= 3:
        raise InputError(
            "looks like lab results, not a treatment record: its cells name lab tests and none of its "
            "rows names a drug Nadir knows.", path,
            "Give it as the lab export, and the medication-administration record as the infusion "
            "record (--infusions). If it is a treatment record, say which column names the drug "
            "(--infusion-column drug=HEADING, or in the infusion-record assistant).")


def _asked(settings: InfusionImportSettings | None, *, product, patient, date_order, include_premedication,
           columns, sheet, header_row, actions) -> InfusionImportSettings:
    """The keywords over the replayed settings (a keyword left at None keeps the saved choice)."""
    s = settings or InfusionImportSettings()
    return InfusionImportSettings(
        product=s.product if product is None else product,
        patient=s.patient if patient is None else patient,
        date_order=s.date_order if date_order is None else date_order,
        include_premedication=include_premedication or s.include_premedication,
        columns=dict(s.columns if columns is None else columns),
        sheet=s.sheet if sheet is None else sheet,
        header_row=s.header_row if header_row is None else header_row,
        actions=dict(s.actions if actions is None else actions),
    )


def _records(loc: Located, path: Path, chosen_patient: str | None, date_system, date_order,
             skipped: list[SkippedRow], warnings: list[str]) -> list:
    """One (Record, Medication | None, dose start stated) per dose, in time order; rows without a
    readable time are skipped rows."""
    doses = doses_of(loc, path, chosen_patient, skipped)
    times = dose_times(loc, doses, date_system, date_order, path, warnings)
    weight_col = loc.roles.get("weight")
    in_lb = weight_col is not None and in_pounds(loc.headings[weight_col])
    amounts: dict[tuple, tuple[float | None, str]] = {}

    def dose_and_weight(d: Dose) -> tuple[float | None, str, float | None]:
        key = (d.dose_cell, d.unit, d.heading_unit, d.medication)  # a record repeats its doses
        if key not in amounts:
            amounts[key] = dose_of(d)
        return (*amounts[key], weight_of(cell(loc.rows[d.index], weight_col), in_lb))

    records = []  # (Record, Medication | None, start of a dose stated, part of a dose)
    returns: list[tuple[datetime, str, Dose]] = []  # (time, product, row) of returns and wastes
    order: list[tuple[datetime, bool]] = []
    named: dict[tuple[str, str], tuple[str, Medication | None]] = {}  # (drug text, route) -> its names
    for d, when in zip(doses, times, strict=True):
        if when is None:
            raw = cell(loc.rows[d.index], loc.roles["when"])
            skipped.append(SkippedRow(d.source, f"{d.medication}: {text_of(raw)}", "no readable administration date"))
            continue
        names = named.get((d.medication, d.route))
        if names is None:
            names = named[d.medication, d.route] = (_product(d.medication, d.route), _medication(d.medication))
        if d.returned or d.wasted:
            returns.append((when, names[0], d))
            continue
        records.append((Record(when, names[0], d.medication, d, dose_and_weight), names[1],
                        bool(d.action) and not d.part, d.part))
        order.append((when, d.part))
    # Sorted (stably) by (time, part), the keys made in the loop above: no key function per record
    records = list(map(records.__getitem__, sorted(range(len(order)), key=order.__getitem__)))
    records = cancel_returned(records, returns, loc, skipped, warnings)
    return collapse(charted_removals(records, drug_key, warnings, COLLAPSE_HOURS), warnings, skipped)


@short_text_cache(4096)
def _product(text: str, route: str) -> str:
    return product_name(text, route)


@short_text_cache(4096)
def _medication(text: str) -> Medication | None:
    return find_medication(text)


# --- what the user is told -------------------------------------------------------------------------


def _unknown_actions(skipped: list[SkippedRow]) -> list[str]:
    words = Counter(s.reason.split("'")[1] for s in skipped if s.reason.startswith("action '"))
    if not words:
        return []
    listed = ", ".join(f"{w!r} ({n} row{'s' if n > 1 else ''})" for w, n in words.most_common())
    return [f"Actions Nadir does not know were not counted as doses: {listed}."]


def _daily_note(chosen: tuple[Administration, ...], label: str | None) -> list[str]:
    """A drug taken every day has no infusion cycles: say how the rules apply to it."""
    if len(chosen) < 5:
        return []
    gaps = sorted((b.time - a.time).total_seconds() / 3600 for a, b in pairwise(chosen))
    if gaps[len(gaps) // 2] > 36:
        return []
    courses = group_courses(chosen)
    # Courses of a few days (IVIG 1 g/kg over 2 days, or 0.4 g/kg daily x 5, every 4 weeks)
    # also have day-apart doses, but they are infusion cycles: a drug is daily when its periods
    # last weeks.
    spans = sorted((c.last - c.start).total_seconds() / 86400 for c in courses)
    if spans[len(spans) // 2] < 7:
        return []
    return [f"{label} is given daily ({len(chosen)} doses): its doses form {len(courses)} treatment "
            f"period{'s' if len(courses) != 1 else ''} rather than infusion cycles. The cycle rules "
            "measure each period from its first dose: the pre-treatment value is the last count before "
            "that dose, the day-after value the count on the next day, and the nadir the lowest count "
            "until the next period starts."]
