"""What a result's status says: final, corrected, preliminary or cancelled.

Status words are matched in several languages on the folded text; a single letter is an HL7 v2
result status (OBX-11), which LIS extracts print as they are. Unknown words count as final.
"""

from __future__ import annotations

from analysis.importing.cells import Cells
from analysis.importing.header_words import fold

# Results the lab took back. Cerner's "In Error" rows keep their (wrong) value, so the status,
# not an empty result, is what keeps them off the chart.
_CANCELLED_STATUS = (
    "cancel", "storn", "annul", "anulad", "void", "deleted", "not performed", "entfall",
    "in error", "entered in error", "erroneous", "invalid", "retract", "withdrawn", "zuruckgezogen",
    "ungultig", "erreur", "errone", "erroneo", "rejected", "abgelehnt", "rechaz", "supersed",
)
_CORRECTED_STATUS = (
    "correct", "amend", "revis", "korrig", "berichtig", "rectifi", "corrig", "modifi", "changed", "edit",
)
_PRELIMINARY_STATUS = (
    "prelim", "vorlauf", "provisoire", "provisional", "pending", "partial", "interim", "incomplete",
    "in process", "in progress", "unverified", "not verified", "in lab", "vorlaeufig", "vorlaufig",
)
# HL7 v2 result status letters (OBX-11).
_HL7_STATUS = {
    "f": "final", "c": "corrected", "a": "corrected", "p": "preliminary", "r": "preliminary",
    "i": "preliminary", "s": "preliminary", "x": "cancelled", "d": "cancelled", "w": "cancelled",
}


def status_kind(text) -> str:
    """"final", "corrected", "preliminary" or "cancelled" for one status cell."""
    folded = fold(text) if isinstance(text, str) else ""
    if not folded:
        return "final"
    if len(folded) == 1:
        return _HL7_STATUS.get(folded, "final")
    if any(w in folded for w in _CANCELLED_STATUS):
        return "cancelled"
    if any(w in folded for w in _CORRECTED_STATUS):
        return "corrected"
    if any(w in folded for w in _PRELIMINARY_STATUS):
        return "preliminary"
    return "final"


def status_kinds(cells: Cells) -> list[str]:
    """The status kind of every cell, each distinct status text read once."""
    if cells.status is None:
        return ["final"] * len(cells.row)
    kind_of = {v: status_kind(v) for v in set(cells.status)}
    return [kind_of[v] for v in cells.status]
