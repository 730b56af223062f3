"""Export the per-cycle table (.xlsx or .csv) from the window or the export dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import folders
from ..workers import Cancelled, run_with_progress
from .errors import show_error

TABLE_FILTERS = "Excel workbook (*.xlsx);;CSV table (*.csv)"


def export_table(parent: QWidget | None, case, *, dates: bool = False,
                 start_folder: str | Path | None = None) -> Path | None:
    """Ask where to save the per-cycle table (.xlsx or .csv) and write it; None if cancelled.

    ``dates`` adds calendar dates (they can identify a patient, so only on request).
    """
    if hasattr(case, "undo_stack") and hasattr(case, "case"):  # the window's document
        dates = dates or case.settings.axis == "dates"
        case = case.case
    if case is None:
        QMessageBox.information(parent, "Export table", "Open a case first: there is no table to export yet.")
        return None
    folder = Path(start_folder) if start_folder else folders.start_folder()
    chosen, selected = QFileDialog.getSaveFileName(parent, "Export table", str(folder / "anc-cycles.xlsx"),
                                                   TABLE_FILTERS)
    if not chosen:
        return None
    path = Path(chosen)
    folders.remember(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_name(path.name + (".csv" if "csv" in (selected or "").lower() else ".xlsx"))
    try:
        from analysis.figure.tables import export_cycles

        run_with_progress(parent, f"Writing {path.name}…", export_cycles, list(case.cycles), case.summary,
                          case.rules, path, dates=dates, notes=case.exclusion_notes(),
                          decimals=case.decimals)
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words
        show_error(parent, exc)
        return None
    return path
