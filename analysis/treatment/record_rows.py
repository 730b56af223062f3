"""The rows of a treatment record that are doses: who, what, when, how much.

A row (or, in a wide record, one drug cell of a row) is a dose given, a part of one (a rate
change, "completed"), a dose not given (reported as a skipped row), or workflow that is no dose.
Its action is read by meaning (:mod:`analysis.treatment.actions`); its time is read with the
whole column, so that the record decides the day/month order of text dates; its dose and the
patient's weight are numbers with a unit. Choosing the drug is :mod:`.drug_choice`'s business.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path

from analysis.errors import ChoiceRequired, InputError
from analysis.model import SkippedRow, Source
from analysis.treatment import actions as act
from analysis.treatment.column_profiles import blank, text_of
from analysis.treatment.columns import Located, count_heading, heading_unit, rate_heading
from analysis.treatment.drugs import AMOUNT, amount, count_unit, dose_in_record_unit, pack_amount, stated_dose


@dataclass(slots=True)
class Dose:
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
    # Why a part of a dose is a dose not given rather than the dose, when no start comes before
    # it (see _verdict); "" when such a part stands for its dose.
    not_given: str = ""
    returned: bool = False  # a return to the cabinet or pharmacy: cancels a removal (record_returns)
    # The dose cell counts packs (a cabinet's "Qty" with no unit anywhere): the dose is that many
    # times the amount of one pack the drug's text names ("10 GM/100 ML VIAL").
    packs: bool = False
    wasted: bool = False  # drug thrown away: lowers or cancels a removal (record_returns)

    @property
    def source(self) -> Source:
        return Source(file=self.file, sheet=self.sheet, row=self.index + 1, column=self.column)


ACTION_MEANINGS = (act.START, act.PART, act.NOT_GIVEN, act.NO_DOSE, act.RETURN)


def action_meanings(actions: dict[str, str], path: Path) -> dict[str, str]:
    """The user's action words, folded as the reader compares them; a meaning Nadir has no rule
    for is refused in words."""
    bad = [m for m in actions.values() if m not in ACTION_MEANINGS]
    if bad:
        raise InputError(f"unknown action meaning {bad[0]!r}.", path, f"Meanings: {', '.join(ACTION_MEANINGS)}.")
    return {act.fold(word): m for word, m in actions.items()}


def action_words(loc: Located) -> tuple[tuple[str, int, str], ...]:
    """Each distinct action or status word with its rows and its meaning, most frequent first."""
    c = loc.roles.get("action")
    if c is None:
        return ()
    header = text_of(loc.rows[loc.header_index][c]) if c < len(loc.rows[loc.header_index]) else ""
    counts: Counter[str] = Counter()
    for (_type, value), n in distinct_cells(loc.rows[loc.header_index + 1:], c).items():
        counts[text_of(value)] += n
    counts.pop(header, None)
    counts.pop("", None)
    return tuple((word, n, loc.meaning(word)) for word, n in counts.most_common())


def record_patient(loc: Located, patient: str | None, path: Path) -> tuple[list[str], str | None]:
    patients: list[str] = []
    if "patient" in loc.roles:
        col = loc.roles["patient"]
        header = text_of(loc.rows[loc.header_index][col])
        idents = dict.fromkeys(text_of(value) for _type, value in distinct_cells(loc.rows[loc.header_index + 1:], col))
        patients = [ident for ident in idents if ident and ident != header]
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
        from analysis.importing.patients import id_list

        raise ChoiceRequired(f"holds administrations for {len(patients)} patients ({id_list(patients)}).", path,
                             "Choose the patient in the infusion-record assistant (or --patient with one of them).",
                             kind="patient", options=patients)
    return patients, (patients[0] if patients else None)


def doses_of(loc: Located, path: Path, chosen_patient: str | None, skipped: list[SkippedRow]) -> list[Dose]:
    """Rows (or drug cells of a wide row) that read as doses given; the others are dropped
    (parts of a dose, workflow) or reported (not given, unknown action)."""
    roles, rows = loc.roles, loc.rows
    header = rows[loc.header_index]
    first = next(c for c, v in enumerate(header) if not blank(v))
    header_texts = [text_of(v).lower() for v in header]
    # Rows padded to one width, so that the loop below (run once per row of a 10-year record)
    # indexes cells directly; a wide record also gets an always-empty column for the roles it
    # lacks (the long reader leaves them out of its cells instead, which spares a sheet's rows,
    # all as wide as the sheet, a padded copy each).
    width = max(len(header), max((c for c in roles.values()), default=0) + 1,
                max(loc.drug_columns, default=0) + 1) + ("drug" not in roles)
    pad = [""] * width
    n_header = len(header_texts)
    text = _TextMemo()
    read = _long_row(loc, path, chosen_patient, text) if "drug" in roles else \
        _wide_row(loc, path, width - 1, chosen_patient, text)
    out: list[Dose] = []
    # Two cells that are filled in most rows: when both hold a value that is not blank text or
    # None (a truthy one), the row is no blank or one-cell line and need not be counted.
    filled = sorted(set(roles.values()))
    a, b = (filled[0], filled[1]) if len(filled) > 1 else (0, len(header) + 10**9)  # else always counted
    for i in range(loc.header_index + 1, len(rows)):
        row = rows[i]
        n = len(row)
        if not (n > b and row[a] and row[b]) and n - row.count("") - row.count(None) <= 1:
            continue  # blank, a title or footer line
        if first < n and row[first] == header[first] and \
                [text(v).lower() for v in row[:n_header]] == header_texts[:n]:
            continue  # a repeated page header
        read(i, row if n >= width else row + pad[n:], out, skipped)
    return out


def _dispensing(loc: Located) -> bool:
    """A dispensing log: its action column takes packs out of a cabinet ("Remove", "Entnommen")."""
    return "action" in loc.roles and any(act.is_removal(word) for word, _n, _m in action_words(loc))


_UNJUDGED: tuple = ("not judged yet",)  # no verdict is this object


def _long_row(loc: Located, path: Path, chosen_patient: str | None, text):
    """The reader of one row of a long record (one drug a row). A 10-year record repeats a few
    dozen combinations of drug, action, note, route, unit and dose thousands of times, so each
    distinct combination is judged once and a row costs a lookup."""
    roles, name, sheet = loc.roles, path.name, loc.sheet
    # The cells of the roles the record has ("drug" always: a long record is one drug a row); a
    # role it lacks reads as an empty cell. The drug's column is asked twice so that the getter
    # gives a tuple even when the drug is the only role.
    present = [r for r in ("patient", "action", "route", "note", "drug", "dose", "unit", "entry") if r in roles]
    cells = itemgetter(*(roles[r] for r in present), roles["drug"])
    has_dose = "dose" in roles
    c_dose = roles["dose"] if has_dose else roles["drug"]  # read only when the record has doses
    dose_unit = heading_unit(loc.headings[roles["dose"]]) if has_dose else ""
    dose_heading = loc.headings[roles["dose"]] if has_dose else ""
    packs = has_dose and (count_heading(dose_heading) or (count_heading(dose_heading, dispensing=True)
                                                          and _dispensing(loc)))
    check_patient = "patient" in roles and chosen_patient is not None
    judged: dict[tuple, tuple | None] = {}

    def judge(row: list) -> tuple | None:
        """(kind, reason, drug, action, route, unit, note) of a row, or None for no dose at all."""
        said = dict(zip(present, map(text, cells(row)), strict=False))
        patient, action, route, note, med, unit = (said.get(r, "") for r in
                                                    ("patient", "action", "route", "note", "drug", "unit"))
        if (check_patient and patient != chosen_patient) or not med or act.is_struck(said.get("entry", "")):
            return None  # another patient's, no drug, or a charting entry struck ("In Error")
        kind, reason = _verdict(action, note, row[c_dose] if has_dose else "", loc, False, None, row)
        return None if kind == "drop" else (kind, reason, med, action, route, unit, note)

    def read(i: int, row: list, out: list[Dose], skipped: list[SkippedRow]) -> None:
        dose = row[c_dose] if has_dose else ""
        # The dose cell's type is part of the key: 1.0 and True are equal keys that read differently.
        key = (cells(row), type(dose))
        seen = judged.get(key, _UNJUDGED)
        if seen is _UNJUDGED:
            seen = judged[key] = judge(row)
        if seen is None:
            return
        kind, reason, med, action, route, unit, note = seen
        if kind == "skip":
            src = Source(file=name, sheet=sheet, row=i + 1, column="")
            skipped.append(SkippedRow(src, f"{med}: {action or note or text_of(dose)}", reason))
            return
        out.append(Dose(i, name, sheet, "", med, action, dose, unit, route, dose_unit, kind == "part",
                        reason if kind == "part" else "", kind == "return", packs, kind == "waste"))

    return read


def _wide_row(loc: Located, path: Path, none: int, chosen_patient: str | None, text):
    """The reader of one row of a wide record: a dose in each drug column that is not blank."""
    roles, name, sheet = loc.roles, path.name, loc.sheet
    c_patient, c_action, c_route, c_note = (roles.get(r, none) for r in ("patient", "action", "route", "note"))
    columns = [(c, loc.headings[c], rate_heading(loc.headings[c]), heading_unit(loc.headings[c]))
               for c in loc.drug_columns]
    check_patient = "patient" in roles and chosen_patient is not None

    def read(i: int, row: list, out: list[Dose], skipped: list[SkippedRow]) -> None:
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
            out.append(Dose(i, name, sheet, _letter(c), heading, action, dose_cell, unit, route, "", kind == "part",
                            returned=kind == "return", wasted=kind == "waste"))

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
    ("skip", reason) for a row reported as skipped, ("drop", "") for workflow that is no dose,
    ("return", "") for a return to the cabinet (it cancels a removal: record_returns), ("waste", "")
    for drug thrown away (it lowers or cancels a removal: record_returns).
    A part of a dose whose dose cell is blank, in a long record that has a dose column, is
    ("part", reason): without a start before it, it is a dose not given, skipped for that reason."""
    verdict = loc.meaning(action)
    shown = act.describe(action, loc.codes)
    if verdict == act.NO_DOSE:
        return ("waste", "") if act.is_waste(action) else ("drop", "")
    if verdict == act.RETURN:
        return "return", ""
    if verdict == act.PART:
        # "A part with no start stands for the dose" is for nursing flowsheets, which have no dose
        # column (and records that write only "Completed", with the dose). Where the record states
        # doses and this row states none, a pause or stop ("pausiert - Infekt", dose blank) is a
        # dose that did not happen; a completed or running infusion was given (its start charted
        # elsewhere).
        if not wide and "dose" in loc.roles and blank(dose_cell) and act.interrupts(action, loc.codes):
            return "part", (f"marked {shown!r} with no dose and no start of the dose before it: taken as "
                            "not given" + (f" ({note})" if note else ""))
        return "part", ""
    if verdict == act.NOT_GIVEN:
        return "skip", f"marked {shown!r}: the dose was not given" + (f" ({note})" if note else "")
    if verdict == act.UNKNOWN:
        return "skip", f"action {shown!r} is not a start of a dose Nadir recognises"
    if wide and isinstance(row[col], str) and not any(ch.isdigit() for ch in row[col]):
        cell_verdict = act.meaning(row[col])
        if cell_verdict in (act.PART, act.NO_DOSE):
            return "drop", ""
        if cell_verdict in (act.NOT_GIVEN, act.UNKNOWN, act.RETURN):  # a wide record removes nothing
            return "skip", f"marked {row[col]!r}: not a dose given"
    if verdict == act.BLANK and note:
        if act.meaning(note) == act.NOT_GIVEN:
            return "skip", f"marked {note!r}: the dose was not given"
        if "dose" in loc.roles and blank(dose_cell):
            return "skip", f"no dose, with the note {note!r}: taken as not given"
    if not wide and verdict == act.BLANK and "dose" in loc.roles and _is_zero(dose_cell):
        # A row that gives nothing, and no action to say what happened (an administration message
        # flattened without its completion status writes 0 for "not administered").
        return "skip", "a dose of 0, and no action: taken as not given" + (f" ({note})" if note else "")
    if not wide and "dose" in loc.roles and isinstance(dose_cell, str) and not any(ch.isdigit() for ch in dose_cell):
        said = act.meaning(dose_cell)
        if said == act.NOT_GIVEN:
            return "skip", f"marked {dose_cell!r}: the dose was not given"
        if verdict == act.BLANK and said == act.UNKNOWN:
            # Words instead of a dose, and no action to say otherwise ("abgesetzt wegen Fieber"):
            # the empty dose with a note, written in the dose's own cell.
            return "skip", f"no dose, the dose cell says {dose_cell!r}: taken as not given"
    return "dose", ""


def _is_zero(cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return cell == 0
    return isinstance(cell, str) and re.fullmatch(r"\s*0+(?:[.,]0*)?\s*", cell) is not None


def _letter(col: int) -> str:
    from analysis.importing.cells import column_letter

    return column_letter(col)


def cell(row: list, col: int | None):
    return row[col] if col is not None and col < len(row) else None


def distinct_cells(rows: list[list], col: int) -> Counter:
    """Each distinct cell of column ``col`` as (type, value), with the number of rows holding it,
    in the order the rows first give them (None past the end of a short row): a record repeats
    its patient and its actions thousands of times, and each is then read once. The type keeps
    apart cells that are equal keys but read differently (1.0 and True)."""
    if min(map(len, rows), default=0) > col:  # every row reaches the column (a sheet's rows all do)
        values = list(map(itemgetter(col), rows))
    else:
        values = [r[col] if col < len(r) else None for r in rows]
    types = set(map(type, values))
    if len(types) == 1:  # one type (a column of text): counted by value alone, twice as fast
        (kind,) = types
        return Counter({(kind, value): n for value, n in Counter(values).items()})
    return Counter(zip(map(type, values), values, strict=True))


def dose_times(loc: Located, doses: list[Dose], date_system, date_order, path, warnings) -> list[datetime | None]:
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
            given = combine_date_time(given, [_clock(cell(rows[d.index], roles["time"])) for d in doses])
        times = list(given.times)
        if "scheduled" in roles and any(t is None for t in times):
            planned = column("scheduled", date_order or (given.order if given.order in ("MDY", "DMY") else None))
            filled = 0
            for k, d in enumerate(doses):
                if times[k] is None and blank(cell(rows[d.index], roles["when"])) and planned.times[k] is not None \
                        and loc.meaning(d.action) == act.START:
                    times[k] = planned.times[k]
                    filled += 1
            if filled:
                warnings.append(f"{filled} dose(s) marked given without a given time were placed at their "
                                "scheduled time.")
    except ChoiceRequired as exc:
        hint = exc.hint or ("Use the infusion-record assistant (or --date-order MDY or "
                            "--date-order DMY)." if exc.kind == "date_order" else None)
        raise ChoiceRequired(exc.message, path, hint, kind=exc.kind, options=exc.options) from None
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
    if type(value) is float:
        return (value, "") if value == value else (None, "")
    if blank(value) or isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float)):
        return float(value), ""
    m = re.match(rf"\s*([-+]?(?:{AMOUNT}))\s*([^\d\s].*)?$", str(value))
    if not m:
        return None, ""
    return amount(m.group(1)), (m.group(2) or "").strip()


def dose_of(d: Dose) -> tuple[float | None, str]:
    dose, unit = _number_and_unit(d.dose_cell)
    if d.unit:
        unit = d.unit
    if dose is not None and dose <= 0:
        dose = None
    if dose is not None and dose.is_integer() and ((d.packs and not unit) or count_unit(unit)):
        per_pack, pack_unit = pack_amount(d.medication)
        if per_pack is not None:
            return dose_in_record_unit(round(dose * per_pack, 6), pack_unit, d.medication)
    if dose is not None and not unit:
        # No unit in the cell or a unit column: the dose column's heading ("Dose (g)"), else
        # the unit in which the drug's text states its amount ("... 1,200 mg in ...").
        unit = d.heading_unit or stated_dose(d.medication)[1]
    return dose_in_record_unit(dose, unit if dose is not None else "", d.medication)


def in_pounds(text: str) -> bool:
    return re.search(r"\blbs?\b|pound", text.lower()) is not None


def weight_of(value, in_lb: bool) -> float | None:
    w, unit = _number_and_unit(value)
    if w is None or w <= 0:
        return None
    if in_lb or (unit and in_pounds(unit)):
        w *= 0.45359237
    return w


