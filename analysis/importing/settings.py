"""The choices that reproduce one lab import: what :func:`import_labs` decided, or was told.

``import_labs`` returns them with its data (``LabImport.settings``) and takes them back
(``import_labs(path, settings=...)``), so a project stores one record and reopening replays it:
the same sheet, header row, layout, columns, analyte names, date order and patient, whether
the user chose them in the import assistant or Nadir found them. Recording the automatic
decisions too means a project reads its export the same way after a later Nadir has learnt
other header words or analyte names.

A record, not code: every field has a default meaning "decide from the file", so a later
version adds a field without breaking a saved project.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from analysis.errors import InputError
from analysis.importing.layout import Layout
from analysis.model import Detection


@dataclass(frozen=True)
class LabImportSettings:
    """How to read a lab export; None (or empty) for a choice Nadir makes from the file."""

    sheet: str | None = None
    header_row: int | None = None  # 1-based, as a spreadsheet numbers rows
    layout: str | None = None  # "long", "wide" or "transposed"
    columns: dict[str, str] = field(default_factory=dict)  # role ("time", "test", ...) -> header text
    mapping: dict[str, str] = field(default_factory=dict)  # name in the file -> analyte code, "" = not read
    date_order: str | None = None  # "MDY", "DMY" or "YMD" for text dates that read both ways
    patient: str | None = None
    # The file that names the test codes of a research extract (d_labitems.csv), as chosen; the
    # codes it named are also in ``mapping``, so a project reopens where the file is gone.
    dictionary: str | None = None

    def overridden(self, **choices) -> "LabImportSettings":
        """These settings with the given choices in force (None leaves a field as it is; a
        mapping adds to the saved one, name by name)."""
        changes = {k: v for k, v in choices.items() if v is not None}
        if "mapping" in changes:
            changes["mapping"] = {**self.mapping, **changes["mapping"]}
        if "columns" in changes:
            changes["columns"] = {**self.columns, **changes["columns"]}
        return replace(self, **changes) if changes else self


def with_columns(found: Layout, columns: dict[str, str], path) -> Layout:
    """The detected layout with each role read from the column headed as saved.

    A re-exported file may have its columns in another order; the heading says which is which.
    A heading that is no longer in the header row is an error naming it, not a silent guess.
    """
    if not columns or found.kind == "transposed":
        return found  # a transposed block has no header row of columns to name
    by_text = {}
    for col, text in sorted(found.headers.items()):
        by_text.setdefault(text, col)
    roles = dict(found.roles)
    for role, text in columns.items():
        if not text:
            continue
        if text not in by_text:
            raise InputError(
                f"has no column headed {text!r} any more (the project read the {role} from it)",
                path,
                "Open the lab export in the import assistant and choose the columns again.",
            )
        roles[role] = by_text[text]
    return replace(found, roles=roles) if roles != found.roles else found


def settings_read(detection: Detection, wanted: LabImportSettings, codes: dict[str, str] | None,
                  patient: str | None, cells, found: Layout) -> LabImportSettings:
    """The settings that read the file again as it was read now: the user's choices, and what
    was detected for the rest (analyte names only where the name alone decided the analyte: two
    "Neutrophils" columns, one a count and one a percentage, are told apart by their units).
    ``cells`` are the recognised results (analysis.importing.cells.Cells)."""
    seen: dict[str, set] = defaultdict(set)
    if found.kind == "wide":
        for name, code, _unit in found.analyte_columns.values():
            seen[name].add(code)
    else:
        for name, code in zip(cells.name, cells.code):
            seen[name].add(code)
    automatic = {name: next(iter(c)) for name, c in seen.items() if len(c) == 1 and next(iter(c))}
    return LabImportSettings(
        sheet=detection.sheet,
        header_row=detection.header_row,
        layout=detection.layout,
        columns={role: text for role, text in detection.columns.items() if text},
        mapping={**automatic, **(codes or {})},
        date_order=wanted.date_order or detection.date_order,
        patient=patient,
        dictionary=wanted.dictionary,
    )
