"""Which patient's results to import, when an export holds several."""

from __future__ import annotations

from analysis.errors import ChoiceRequired, InputError
from analysis.importing.cells import Cells, id_text, is_blank


def choose_patient(cells: Cells, patient: str | None, path) -> tuple[str | None, list[str], list[int] | None]:
    """The patient to import, every patient in the file, and which cells belong to the chosen one.

    Raises ChoiceRequired when the file holds several patients and none was chosen.
    """
    if cells.patient is None:
        return (str(patient).strip() if patient is not None else None), [], None
    every = cells.all_patients if cells.all_patients is not None else cells.patient
    ids = sorted({id_text(p) for p in set(every) if not is_blank(p)})
    if not ids:
        return (str(patient).strip() if patient is not None else None), [], None
    if patient is None:
        if len(ids) == 1:
            return ids[0], ids, None
        shown = id_list(ids)
        raise ChoiceRequired(
            f"this file holds results for {len(ids)} patients ({shown}); choose one",
            path,
            "Use the import assistant (or --patient with one of them).",
            kind="patient",
            options=ids,
        )
    wanted = str(patient).strip()
    match = [i for i in ids if i == wanted] or [i for i in ids if i.casefold() == wanted.casefold()]
    if not match:
        raise InputError(f"has no results for patient {wanted!r} (it holds {id_list(ids)})", path)
    chosen = match[0]
    text_of = {key: id_text(key) for key in set(cells.patient)}
    keep = [i for i, p in enumerate(cells.patient) if text_of[p] == chosen]
    return chosen, ids, keep


def id_list(ids: list[str]) -> str:
    """Identifiers for a sentence; names such as "DOE, JANE" hold commas, so they get quotes."""
    shown = [repr(i) if "," in i else i for i in ids[:10]]
    return ", ".join(shown) + (", ..." if len(ids) > 10 else "")
