"""A treatment record with one column per administration time, read as the long record it is.

A MAR grid (Oracle Health PowerChart's MAR view, a printed MAR saved as a spreadsheet) lists
the drugs down its first column and the administration times across its header row; each cell
holds what was done at that time ("35 g Given", "Held", 700). Nadir unfolds it into one row per
filled cell (drug, time, dose, action) and reads those rows by content like any record; each
row keeps the place of its cell in the file, so that messages and the infusions list point to
the cell the user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.importing.cells import column_letter
from analysis.treatment.actions import CODES, UNKNOWN, fold, meaning
from analysis.treatment.column_profiles import blank, is_date, profile, text_of
from analysis.treatment.drugs import AMOUNT

HEADINGS = ("Medication", "Administration time", "Dose", "Action")  # the first is the grid's own heading
SAMPLE_ROWS = 200
_DOSE = re.compile(rf"\s*((?:{AMOUNT})\s*(?:mg/m2|mg/m²|mg/kg|g/kg|mcg|µg|ug|mg|g|gm|ml|iu|ie|ui|units?)?)"
                   r"(?![a-zA-Z])\s*(.*)$", re.IGNORECASE)


# A hand-made grid's cell that says the dose was given without words: the nurse's initials ("MK",
# "J.D."), a tick, or the clock time it was given ("09:30", "9h30"). A cross is no mark: paper
# charts use it for given and for not given.
_MARK = re.compile(r"\s*(?:[A-ZÄÖÜÉ]\.?){2,3}\s*$|\s*[✓✔☑]\s*$")
# Codes and abbreviations of an action, no initials: "NG" not given, "DC" discontinued, "HLD" held
_NOT_MARKS = frozenset(("NG", "ND", "NA", "NGN", "DC", "OM", "REF", "HLD", "ABS", "NE", "NV", *CODES))
_CLOCK = re.compile(r"\s*([01]?\d|2[0-3])\s*[:hH.]\s*([0-5]\d)\s*(?:h|uhr)?\s*$", re.IGNORECASE)
# The row that adds the grid up ("Total doses given", "Summe", "Gesamt"): no drug.
_TOTAL = re.compile(r"^\s*(?:total|totals|sum|summe|gesamt|totaal|totale|somme|suma|som)\b", re.IGNORECASE)
# A column left of the times that states each drug's dose ("Dose", "Dosis", "80 g"), and a unit in
# a heading ("Total (g)") for doses written as bare numbers.
_DOSE_WORDS = re.compile(r"(?<![a-z])(?:dose|dosis|dosage|dosierung|posologie|dosi|dosering|dosaggio|amount|menge)"
                         r"(?![a-z])")
_HEADING_UNIT = re.compile(r"[(\[]\s*(mg|g|gm|ml|mcg|µg|ug|iu|ie|ui|units?)\s*[)\]]", re.IGNORECASE)


@dataclass
class Unfolded:
    """The grid as long rows (``rows[0]`` the headings) and, for each row, its cell in the file."""

    rows: list[list]
    origin: list[tuple[int, str]]  # (row as the spreadsheet numbers it, column letter)


def unfold(rows: list[list], searched: range) -> Unfolded | None:
    """The record as long rows when one of the ``searched`` rows is a header of administration
    times (two or more dates, nearly every filled heading right of the first one a date, a column
    of drug names left of them); else None."""
    for i in searched:
        header = rows[i]
        dated = [c for c, v in enumerate(header) if is_date(v)]
        if len(dated) < 2 or dated[0] == 0:
            continue
        filled = [c for c in range(dated[0], len(header)) if not blank(header[c])]
        labels = [c for c in range(dated[0]) if not blank(header[c])]
        if len(dated) < 0.8 * len(filled) or not labels:
            continue
        drug = labels[0]
        names = [row[drug] for row in rows[i + 1:i + 1 + SAMPLE_ROWS] if drug < len(row) and not blank(row[drug])]
        if profile(names).drugs < 0.5:
            continue  # analytes down and dates across: a lab report, not a record of doses
        dose_col = next((c for c in labels[1:] if _DOSE_WORDS.search(fold(text_of(header[c])))), None)
        unit = next((m.group(1) for c, v in enumerate(header) if c not in dated
                     for m in [_HEADING_UNIT.search(text_of(v))] if m), "")
        out: list[list] = [[text_of(header[drug]), *HEADINGS[1:]]]
        origin = [(i + 1, "")]
        for r in range(i + 1, len(rows)):
            row = rows[r]
            name = text_of(row[drug]) if drug < len(row) else ""
            if not name or is_date(row[drug]) or _TOTAL.match(name):
                continue
            stated = text_of(row[dose_col]) if dose_col is not None and dose_col < len(row) else ""
            for c in dated:
                value = row[c] if c < len(row) else None
                if not blank(value):
                    when, dose, action = _cell(header[c], value, stated, unit)
                    out.append([name, when, dose, action])
                    origin.append((r + 1, column_letter(c)))
        if len(out) > 1:
            return Unfolded(out, origin)
    return None


def _cell(heading, value, stated: str, unit: str) -> tuple[object, object, str]:
    """(time, dose, action) of a filled cell under the date ``heading``: a clock time is the time
    of that day the dose was given, initials or a tick a dose given, either with the row's stated
    dose; words ("Held", "pausiert") what was done, with the dose only the cell states."""
    text = value if isinstance(value, str) else ""
    clock = _CLOCK.match(text)
    # Initials are no word or code of an action ("HELD", "NG", "CP" say what was done)
    if clock or (_MARK.match(text) and meaning(text, codes=True) == UNKNOWN
                 and text.strip().upper().rstrip(".") not in _NOT_MARKS):
        when = heading
        if clock:
            hh, mm = int(clock.group(1)), int(clock.group(2))
            when = heading.replace(hour=hh, minute=mm) if hasattr(heading, "hour") else \
                f"{text_of(heading)} {hh:02d}:{mm:02d}"
        return when, stated, ""
    dose, action = _dose_and_action(value)
    if unit and isinstance(dose, (int, float)) and not isinstance(dose, bool):
        dose = f"{dose:g} {unit}"
    return heading, dose, action


def _dose_and_action(value) -> tuple[object, str]:
    """"35 g Given" -> ("35 g", "Given"); 700 -> (700, ""); "Held" -> ("", "Held")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value, ""
    text = text_of(value)
    m = _DOSE.match(text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return "", text
