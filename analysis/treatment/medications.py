"""Infusions: read a treatment record, keep one administration per dose, choose the drug.

A medication-administration record lists every pump event (new bag, rate change, stopped) and
every premedication next to the drug of interest; a flowsheet lists rate checks; a dispensing
log lists what left the pharmacy. Nadir needs one administration per dose, so this module finds
the columns by content (:mod:`analysis.treatment.columns`), reads each action by meaning
(:mod:`analysis.treatment.actions`), names every drug (:mod:`analysis.treatment.drugs`), counts
only the starts of doses, and says in words what it left out. Grouping into courses is
CYCLE-RULES rule 1 (:mod:`analysis.treatment.courses`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from operator import itemgetter
from pathlib import Path

from analysis.errors import ChoiceRequired, InputError
from analysis.importing.limits import short_text_cache
from analysis.model import Administration, SkippedRow, Source
from analysis.treatment import actions as act
from analysis.treatment.columns import (
    Located,
    TreatmentColumns,
    blank,
    heading_unit,
    locate,
    rate_heading,
    text_of,
)
from analysis.treatment.courses import course_label, group_courses  # noqa: F401  (re-exported)
from analysis.treatment.drugs import (  # noqa: F401  (re-exported)
    IMMUNE_GLOBULIN,
    MEDICATIONS,
    Medication,
    amount,
    dose_in_record_unit,
    family_of,
    find_medication,
    normalise_unit,
    product_name,
    stated_dose,
)
from analysis.treatment.manual import manual_administration, regimen  # noqa: F401  (re-exported)
from analysis.treatment.settings import InfusionImportSettings

# Without an action column, rows of one product this close together are one dose (a MAR without
# actions still lists the start and end of one infusion on the same day; a flowsheet lists rate
# checks).
COLLAPSE_HOURS = 12
# Drugs given within this time of the main drug's doses, in most of its courses, belong to its
# regimen (rule 1's course gap).
REGIMEN_HOURS = 72
# Supportive drugs that follow chemotherapy but are not part of the regimen (G-CSF is an event).
_NOT_IN_REGIMEN = {"GCSF"}


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


class _Record:
    """An administration before the drug is chosen: only the chosen drug's become
    :class:`Administration` records, with their doses read (a long record is mostly other drugs
    and pump events)."""

    __slots__ = ("_dose", "dose_row", "medication", "product", "time")

    def __init__(self, time, product, medication, dose_row, dose):
        self.time, self.product, self.medication, self.dose_row, self._dose = time, product, medication, dose_row, dose

    @property
    def source(self) -> Source:
        return self.dose_row.source

    def administration(self) -> Administration:
        dose, unit, weight = self._dose(self.dose_row)
        return Administration(time=self.time, product=self.product, dose=dose, dose_unit=unit,
                              medication=self.medication, weight_kg=weight, source=self.source)


@dataclass(slots=True)
class _Dose:
    """One row (or one drug cell of a wide row) that reads as a dose given."""

    index: int
    file: str
    sheet: str
    column: str
    medication: str
    action: str
    dose_cell: object
    unit: str
    route: str
    heading_unit: str = ""
    part: bool = False  # a part of a dose (rate change, completed): counts only without its start

    @property
    def source(self) -> Source:
        return Source(file=self.file, sheet=self.sheet, row=self.index + 1, column=self.column)


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
    words ({"Gegeben (ext.)": "start"}: start, part, not given, no dose).
    Rows whose action starts a dose count; parts of a dose are ignored; doses marked not given,
    held, postponed or refused, and actions Nadir does not know, are returned as skipped rows.
    Without an action column, rows of one product less than 12 h apart are one dose.
    ``settings`` replays a saved :class:`InfusionImportSettings` (the keywords override it); the
    result's ``settings`` reproduce this read, the columns read included.
    """
    path = Path(path)
    if settings is not None:
        product = settings.product if product is None else product
        patient = settings.patient if patient is None else patient
        date_order = settings.date_order if date_order is None else date_order
        include_premedication = include_premedication or settings.include_premedication
        columns = dict(settings.columns) if columns is None and settings.columns else columns
        sheet = settings.sheet if sheet is None else sheet
        header_row = settings.header_row if header_row is None else header_row
        actions = dict(settings.actions) if actions is None and settings.actions else actions
    sheets, date_system = read_sheets(path)
    loc = locate(path, sheets, columns, sheet, header_row)
    if actions:
        loc.actions = _action_meanings(actions, path)
    warnings: list[str] = []
    skipped: list[SkippedRow] = []
    patients, chosen_patient = _patient(loc, patient, path)

    doses = _doses(loc, path, chosen_patient, skipped)
    times = _times(loc, doses, date_system, date_order, path, warnings)
    records = []  # (_Record, Medication | None, start of a dose stated, part of a dose)
    weight_col = loc.roles.get("weight")
    in_lb = weight_col is not None and _in_pounds(loc.headings[weight_col])
    dose_of: dict[tuple, tuple[float | None, str]] = {}

    def dose_and_weight(d: _Dose) -> tuple[float | None, str, float | None]:
        key = (d.dose_cell, d.unit, d.heading_unit, d.medication)  # a record repeats its doses
        if key not in dose_of:
            dose_of[key] = _dose(d)
        return (*dose_of[key], _weight(_cell(loc.rows[d.index], weight_col), in_lb))

    named: dict[tuple[str, str], tuple[str, Medication | None]] = {}  # (drug text, route) -> its names
    for d, when in zip(doses, times, strict=True):
        if when is None:
            raw = _cell(loc.rows[d.index], loc.roles["when"])
            skipped.append(SkippedRow(d.source, f"{d.medication}: {text_of(raw)}", "no readable administration date"))
            continue
        names = named.get((d.medication, d.route))
        if names is None:
            names = named[d.medication, d.route] = (_product(d.medication, d.route), _medication(d.medication))
        records.append((_Record(when, names[0], d.medication, d, dose_and_weight), names[1],
                        bool(d.action) and not d.part, d.part))

    records.sort(key=lambda r: (r[0].time, r[3]))
    records = _collapse(records, warnings)
    counts = Counter(adm.product for adm, _m, _a in records)
    products = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not records:
        raise InputError("holds no medication administrations that were given.", path,
                         "Check that this is the medication-administration record (MAR) export.")

    selected, label = _choose(records, product, include_premedication, path, products, warnings)
    chosen = tuple(rec.administration() for rec, _m, _a in records if selected(rec))
    premeds = ()
    if include_premedication:
        premeds = tuple(rec.administration() for rec, med, _a in records
                        if med is not None and med.premedication and not selected(rec))
    if "action" not in loc.roles:
        warnings.append(f"{path.name} has no action/status column: every row was taken as a dose given, "
                        f"and rows of one drug less than {COLLAPSE_HOURS} h apart as one dose.")
    warnings.extend(_unknown_actions(skipped))
    notes = tuple(_daily_note(chosen, label))
    return MedicationImport(
        administrations=chosen, skipped=tuple(skipped), warnings=tuple(warnings), products=products,
        product=label, premedication=premeds, patient=chosen_patient, patients=tuple(patients),
        detection=loc.detection(), notes=notes, actions=_action_words(loc),
        settings=InfusionImportSettings(product=label or product, patient=chosen_patient, date_order=date_order,
                                        include_premedication=include_premedication,
                                        columns=dict(columns) if columns else {}, sheet=sheet,
                                        header_row=header_row, actions=dict(actions) if actions else {}))


@short_text_cache(4096)
def _product(text: str, route: str) -> str:
    return product_name(text, route)


@short_text_cache(4096)
def _medication(text: str) -> Medication | None:
    return find_medication(text)


# --- rows ----------------------------------------------------------------------------------------

ACTION_MEANINGS = (act.START, act.PART, act.NOT_GIVEN, act.NO_DOSE)


def _action_meanings(actions: dict[str, str], path: Path) -> dict[str, str]:
    """The user's action words, folded as the reader compares them; a meaning Nadir has no rule
    for is refused in words."""
    bad = [m for m in actions.values() if m not in ACTION_MEANINGS]
    if bad:
        raise InputError(f"unknown action meaning {bad[0]!r}.", path, f"Meanings: {', '.join(ACTION_MEANINGS)}.")
    return {act.fold(word): m for word, m in actions.items()}


def _action_words(loc: Located) -> tuple[tuple[str, int, str], ...]:
    """Each distinct action or status word with its rows and its meaning, most frequent first."""
    c = loc.roles.get("action")
    if c is None:
        return ()
    header = text_of(loc.rows[loc.header_index][c]) if c < len(loc.rows[loc.header_index]) else ""
    counts = Counter(text_of(row[c]) for row in loc.rows[loc.header_index + 1:] if c < len(row))
    counts.pop(header, None)
    counts.pop("", None)
    return tuple((word, n, loc.meaning(word)) for word, n in counts.most_common())


def _patient(loc: Located, patient: str | None, path: Path) -> tuple[list[str], str | None]:
    patients: list[str] = []
    if "patient" in loc.roles:
        col = loc.roles["patient"]
        header = text_of(loc.rows[loc.header_index][col])
        for row in loc.rows[loc.header_index + 1:]:
            ident = text_of(_cell(row, col))
            if ident and ident != header and ident not in patients:
                patients.append(ident)
    if patient is not None:
        chosen = text_of(patient)
        if patients and chosen not in patients:
            raise InputError(
                f"has no administrations for patient {patient!r}.", path,
                (f"It is the record of patient {patients[0]}; check that the lab results and the "
                 "infusion record belong to the same patient.") if len(patients) == 1 else
                f"It holds patients {', '.join(patients)}; choose one of them.")
        return patients, chosen
    if len(patients) > 1:
        raise ChoiceRequired(f"holds administrations for {len(patients)} patients.", path,
                             "Choose the patient.", kind="patient", options=patients)
    return patients, (patients[0] if patients else None)


def _doses(loc: Located, path: Path, chosen_patient: str | None, skipped: list[SkippedRow]) -> list[_Dose]:
    """Rows (or drug cells of a wide row) that read as doses given; the others are dropped
    (parts of a dose, workflow) or reported (not given, unknown action)."""
    roles, rows = loc.roles, loc.rows
    header = rows[loc.header_index]
    first = next(c for c, v in enumerate(header) if not blank(v))
    header_texts = [text_of(v).lower() for v in header]
    # Rows padded to one width and an always-empty column for roles the record lacks, so that the
    # loop below (run once per row of a 10-year record) indexes cells directly.
    width = max(len(header), max((c for c in roles.values()), default=0) + 1,
                max(loc.drug_columns, default=0) + 1) + 1
    pad = [""] * width
    n_header = len(header_texts)
    text = _TextMemo()
    read = _long_row(loc, path, width - 1, chosen_patient, text) if "drug" in roles else \
        _wide_row(loc, path, width - 1, chosen_patient, text)
    out: list[_Dose] = []
    for i in range(loc.header_index + 1, len(rows)):
        row = rows[i]
        if len(row) - row.count("") - row.count(None) <= 1:
            continue  # blank, a title or footer line
        if first < len(row) and row[first] == header[first] and \
                [text(v).lower() for v in row[:n_header]] == header_texts[:len(row)]:
            continue  # a repeated page header
        read(i, row + pad[len(row):] if len(row) < width else row, out, skipped)
    return out


def _long_row(loc: Located, path: Path, none: int, chosen_patient: str | None, text):
    """The reader of one row of a long record (one drug a row). A 10-year record repeats a few
    dozen combinations of drug, action, note, route, unit and dose thousands of times, so each
    distinct combination is judged once and a row costs a lookup."""
    roles, name, sheet = loc.roles, path.name, loc.sheet
    c_dose = roles.get("dose", none)
    cells = itemgetter(*(roles.get(r, none) for r in ("patient", "action", "route", "note", "drug", "dose", "unit")))
    dose_unit = heading_unit(loc.headings[roles["dose"]]) if "dose" in roles else ""
    check_patient = "patient" in roles and chosen_patient is not None
    judged: dict[tuple, tuple | None] = {}

    def judge(row: list) -> tuple | None:
        """(kind, reason, drug, action, route, unit, note) of a row, or None for no dose at all."""
        patient, action, route, note, med, _dose, unit = (text(v) for v in cells(row))
        if (check_patient and patient != chosen_patient) or not med:
            return None
        kind, reason = _verdict(action, note, row[c_dose], loc, False, None, row)
        return None if kind == "drop" else (kind, reason, med, action, route, unit, note)

    def read(i: int, row: list, out: list[_Dose], skipped: list[SkippedRow]) -> None:
        # The dose cell's type is part of the key: 1.0 and True are equal keys that read differently.
        key = (*cells(row), type(row[c_dose]))
        if key in judged:
            seen = judged[key]
        else:
            seen = judged[key] = judge(row)
        if seen is None:
            return
        kind, reason, med, action, route, unit, note = seen
        if kind == "skip":
            src = Source(file=name, sheet=sheet, row=i + 1, column="")
            skipped.append(SkippedRow(src, f"{med}: {action or note or text_of(row[c_dose])}", reason))
            return
        out.append(_Dose(i, name, sheet, "", med, action, row[c_dose], unit, route, dose_unit, kind == "part"))

    return read


def _wide_row(loc: Located, path: Path, none: int, chosen_patient: str | None, text):
    """The reader of one row of a wide record: a dose in each drug column that is not blank."""
    roles, name, sheet = loc.roles, path.name, loc.sheet
    c_patient, c_action, c_route, c_note = (roles.get(r, none) for r in ("patient", "action", "route", "note"))
    columns = [(c, loc.headings[c], rate_heading(loc.headings[c]), heading_unit(loc.headings[c]))
               for c in loc.drug_columns]
    check_patient = "patient" in roles and chosen_patient is not None

    def read(i: int, row: list, out: list[_Dose], skipped: list[SkippedRow]) -> None:
        if check_patient and text(row[c_patient]) != chosen_patient:
            return
        action, route, note = text(row[c_action]), text(row[c_route]), text(row[c_note])
        for c, heading, rate, unit in columns:
            if blank(row[c]):
                continue
            dose_cell = None if rate else row[c]
            kind, reason = _verdict(action, note, dose_cell, loc, True, c, row)
            if kind == "drop":
                continue
            if kind == "skip":
                src = Source(file=name, sheet=sheet, row=i + 1, column=_letter(c))
                skipped.append(SkippedRow(src, f"{heading}: {action or note or text_of(dose_cell)}", reason))
                continue
            out.append(_Dose(i, name, sheet, _letter(c), heading, action, dose_cell, unit, route, "", kind == "part"))

    return read


class _TextMemo(dict):
    """text_of for the cells of one record, each distinct text cleaned once (a record repeats its
    drug names, actions and routes thousands of times). Only text is kept: 1, 1.0 and True are
    equal keys that read differently."""

    def __call__(self, value) -> str:
        if type(value) is not str:
            return text_of(value)
        got = self.get(value)
        if got is None:
            got = self[value] = text_of(value)
        return got


def _verdict(action: str, note: str, dose_cell, loc: Located, wide: bool, col, row) -> tuple[str, str]:
    """("dose", ""), ("part", "") for a part of a dose (counted only when its start is missing),
    ("skip", reason) for a row reported as skipped, ("drop", "") for workflow that is no dose."""
    verdict = loc.meaning(action)
    shown = act.describe(action, loc.codes)
    if verdict == act.NO_DOSE:
        return "drop", ""
    if verdict == act.PART:
        return "part", ""
    if verdict == act.NOT_GIVEN:
        return "skip", f"marked {shown!r}: the dose was not given" + (f" ({note})" if note else "")
    if verdict == act.UNKNOWN:
        return "skip", f"action {shown!r} is not a start of a dose Nadir recognises"
    if wide and isinstance(row[col], str) and not any(ch.isdigit() for ch in row[col]):
        cell_verdict = act.meaning(row[col])
        if cell_verdict in (act.PART, act.NO_DOSE):
            return "drop", ""
        if cell_verdict in (act.NOT_GIVEN, act.UNKNOWN):
            return "skip", f"marked {row[col]!r}: not a dose given"
    if verdict == act.BLANK and note:
        if act.meaning(note) == act.NOT_GIVEN:
            return "skip", f"marked {note!r}: the dose was not given"
        if "dose" in loc.roles and blank(dose_cell):
            return "skip", f"no dose, with the note {note!r}: taken as not given"
    if not wide and "dose" in loc.roles and isinstance(dose_cell, str) and act.meaning(dose_cell) == act.NOT_GIVEN:
        return "skip", f"marked {dose_cell!r}: the dose was not given"
    return "dose", ""


def _letter(col: int) -> str:
    from analysis.importing.cells import column_letter

    return column_letter(col)


def _cell(row: list, col: int | None):
    return row[col] if col is not None and col < len(row) else None


def _times(loc: Located, doses: list[_Dose], date_system, date_order, path, warnings) -> list[datetime | None]:
    """Administration times, read as one column so that the day/month order of text dates is
    decided by the whole record; the given time wins, the scheduled one fills only a start of a
    dose whose given time is blank."""
    from analysis.importing.dates import combine_date_time, parse_datetime_column

    roles, rows = loc.roles, loc.rows

    def column(role: str, order):
        c = roles[role]
        cells = [rows[d.index][c] if c < len(rows[d.index]) else None for d in doses]
        return parse_datetime_column([v if type(v) is datetime else _value(v) for v in cells],
                                     order=order, system=date_system)

    try:
        given = column("when", date_order)
        if "time" in roles:
            given = combine_date_time(given, [_clock(_cell(rows[d.index], roles["time"])) for d in doses])
        times = list(given.times)
        if "scheduled" in roles and any(t is None for t in times):
            planned = column("scheduled", date_order or (given.order if given.order in ("MDY", "DMY") else None))
            filled = 0
            for k, d in enumerate(doses):
                if times[k] is None and blank(_cell(rows[d.index], roles["when"])) and planned.times[k] is not None \
                        and loc.meaning(d.action) == act.START:
                    times[k] = planned.times[k]
                    filled += 1
            if filled:
                warnings.append(f"{filled} dose(s) marked given without a given time were placed at their "
                                "scheduled time.")
    except ChoiceRequired as exc:
        raise ChoiceRequired(exc.message, path, exc.hint, kind=exc.kind, options=exc.options) from None
    return times


def _clock(v):
    """A time-of-day cell; 930 or "0930" (HHMM, as HL7-derived exports write it) as text."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and float(v).is_integer() \
            and 0 <= v <= 2359 and v % 100 < 60:
        return f"{int(v):04d}"
    return _value(v)


def _value(v):
    if blank(v):
        return None
    if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) in (8, 12, 14):
        return v.strip()  # 20230301 / 202303010930 as text (HL7-derived exports)
    return v


def _number_and_unit(value) -> tuple[float | None, str]:
    import re

    if type(value) is float:
        return (value, "") if value == value else (None, "")
    if blank(value) or isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float)):
        return float(value), ""
    m = re.match(r"\s*(\d{1,3}(?:,\d{3})+(?![\d,])|[-+]?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$", str(value))
    if not m:
        return None, ""
    return amount(m.group(1)), (m.group(2) or "").strip()


def _dose(d: _Dose) -> tuple[float | None, str]:
    dose, unit = _number_and_unit(d.dose_cell)
    if d.unit:
        unit = d.unit
    if dose is not None and dose <= 0:
        dose = None
    if dose is not None and not unit:
        # No unit in the cell or a unit column: the dose column's heading ("Dose (g)"), else
        # the unit in which the drug's text states its amount ("... 1,200 mg in ...").
        unit = d.heading_unit or stated_dose(d.medication)[1]
    return dose_in_record_unit(dose, unit if dose is not None else "", d.medication)


def _in_pounds(text: str) -> bool:
    import re

    return re.search(r"\blbs?\b|pound", text.lower()) is not None


def _weight(value, in_lb: bool) -> float | None:
    w, unit = _number_and_unit(value)
    if w is None or w <= 0:
        return None
    if in_lb or (unit and _in_pounds(unit)):
        w *= 0.45359237
    return w


# --- choosing the drug ---------------------------------------------------------------------------


def _collapse(records, warnings):
    """One record per dose: exact duplicates once; a part of a dose (rate change, completed) and a
    row without an action less than COLLAPSE_HOURS after a kept dose of the same drug belong to
    that dose; a part of a dose with no start before it stands for the dose (a record that writes
    only "Completed")."""
    kept: list = []
    last_kept: dict[str, datetime] = {}
    duplicates = collapsed = 0
    window = timedelta(hours=COLLAPSE_HOURS)
    for record in records:
        adm, med, stated, part = record
        key = med.key if med is not None else adm.product
        prev = last_kept.get(key)
        if prev is not None:
            near = adm.time - prev < window
            if stated and adm.time == prev:
                duplicates += 1
                continue
            if near and (part or not stated):
                collapsed += not part
                continue
        kept.append((adm, med, stated or part))
        last_kept[key] = adm.time
    if duplicates:
        warnings.append(f"{duplicates} duplicated administration row(s) (same drug, same time) counted once.")
    if collapsed:
        warnings.append(f"{collapsed} row(s) without an action less than {COLLAPSE_HOURS} h after a dose of "
                        "the same drug were taken as part of that dose.")
    return kept


def _key(adm: Administration, med: Medication | None) -> str:
    return med.key if med is not None else adm.product


def _choose(records, product, include_premedication, path, products, warnings):
    """(predicate on Administration, label) for the drug, or the regimen, to analyse."""
    if product is not None:
        return _chosen_by_name(records, product, path, products)
    if any(m is IMMUNE_GLOBULIN for _a, m, _x in records):
        ids = {id(a) for a, m, _x in records if m is IMMUNE_GLOBULIN}
        return (lambda adm: id(adm) in ids), _family_label(records, IMMUNE_GLOBULIN)
    candidates = Counter(_key(a, m) for a, m, _x in records
                         if include_premedication or m is None or not m.premedication)
    if not candidates:
        raise InputError(
            "lists only premedication and fluids, no treatment drug.", path,
            f"Medications found: {', '.join(products)}. Choose one explicitly if it is the drug to analyse.")
    main, _n = candidates.most_common(1)[0]
    partners = _regimen_partners(records, main, [k for k in candidates if k != main])
    keys = _in_order_of_appearance(records, [main, *partners])
    ids = {id(a) for a, m, _x in records if _key(a, m) in keys}
    label = _label_of(records, keys)
    others = [k for k in candidates if k not in keys]
    if len(keys) > 1:
        warnings.append(f"No immune globulin found; analysing the regimen {label}: drugs given together "
                        "in one course." + (f" Others: {', '.join(others)}." if others else ""))
    elif others:
        warnings.append(f"No immune globulin found; analysing {label}, the most frequent drug. "
                        f"Others: {', '.join(others)}.")
    return (lambda adm: id(adm) in ids), label


def _in_order_of_appearance(records, keys: list[str]) -> list[str]:
    """A regimen's drugs in the order the record lists them on its first day."""
    def first(k):
        a = next(a for a, m, _x in records if _key(a, m) == k)
        return a.time.date(), a.dose_row.index, a.dose_row.column.rjust(3)
    return sorted(keys, key=first)


def _chosen_by_name(records, product: str, path, products):
    keys: list[str] = []
    for name in [p.strip() for p in str(product).replace(",", "+").split("+") if p.strip()]:
        med = find_medication(name)
        if med is not None and any(m is med for _a, m, _x in records):
            keys.append(med.key)
            continue
        needle = name.lower()
        hits = {_key(a, m) for a, m, _x in records if needle in a.product.lower() or needle in a.medication.lower()}
        if not hits:
            raise InputError(f"has no administrations of {name!r}.", path,
                             f"Medications found: {', '.join(products)}.")
        keys.extend(sorted(hits))
    ids = {id(a) for a, m, _x in records if _key(a, m) in keys}
    return (lambda adm: id(adm) in ids), _label_of(records, keys)


def _label_of(records, keys: list[str]) -> str:
    names = []
    for k in keys:
        labels = Counter(family_of(a.product) for a, m, _x in records if _key(a, m) == k)
        if labels:
            name = labels.most_common(1)[0][0]
            if name not in names:
                names.append(name)
    return " + ".join(names)


def _regimen_partners(records, main: str, others: list[str]) -> list[str]:
    """Drugs given with the main drug: most of their doses within REGIMEN_HOURS of one of its
    doses, in most of its courses."""
    gap = timedelta(hours=REGIMEN_HOURS)
    main_times = [a.time for a, m, _x in records if _key(a, m) == main]
    partners = []
    for k in others:
        if any(m is not None and m.key in _NOT_IN_REGIMEN for a, m, _x in records if _key(a, m) == k):
            continue
        times = [a.time for a, m, _x in records if _key(a, m) == k]
        near = sum(any(abs(t - mt) <= gap for mt in main_times) for t in times)
        with_main = sum(any(abs(t - mt) <= gap for t in times) for mt in main_times)
        if times and near >= 0.8 * len(times) and with_main >= 0.5 * len(main_times):
            partners.append(k)
    return partners


def _family_label(records, med: Medication) -> str:
    labels = Counter(family_of(a.product) for a, m, _x in records if m is med)
    return labels.most_common(1)[0][0] if labels else med.label


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
    return [f"{label} is given daily ({len(chosen)} doses): its doses form {len(courses)} treatment "
            f"period{'s' if len(courses) != 1 else ''} rather than infusion cycles. The cycle rules "
            "measure each period from its first dose: the pre-treatment value is the last count before "
            "that dose, the day-after value the count on the next day, and the nadir the lowest count "
            "until the next period starts."]
