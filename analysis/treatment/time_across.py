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
from analysis.treatment.column_profiles import blank, is_date, profile, text_of
from analysis.treatment.drugs import AMOUNT

HEADINGS = ("Medication", "Administration time", "Dose", "Action")  # the first is the grid's own heading
SAMPLE_ROWS = 200
_DOSE = re.compile(rf"\s*((?:{AMOUNT})\s*(?:mg/m2|mg/m²|mg/kg|g/kg|mcg|µg|ug|mg|g|gm|ml|iu|ie|ui|units?)?)"
                   r"(?![a-zA-Z])\s*(.*)$", re.IGNORECASE)


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
        out: list[list] = [[text_of(header[drug]), *HEADINGS[1:]]]
        origin = [(i + 1, "")]
        for r in range(i + 1, len(rows)):
            row = rows[r]
            name = text_of(row[drug]) if drug < len(row) else ""
            if not name or is_date(row[drug]):
                continue
            for c in dated:
                value = row[c] if c < len(row) else None
                if not blank(value):
                    out.append([name, header[c], *_dose_and_action(value)])
                    origin.append((r + 1, column_letter(c)))
        if len(out) > 1:
            return Unfolded(out, origin)
    return None


def _dose_and_action(value) -> tuple[object, str]:
    """"35 g Given" -> ("35 g", "Given"); 700 -> (700, ""); "Held" -> ("", "Held")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value, ""
    text = text_of(value)
    m = _DOSE.match(text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return "", text
