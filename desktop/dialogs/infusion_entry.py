"""Opening the infusion-record assistant: a first read behind a busy indicator, then the
assistant, also on a record Nadir could not read by itself; only a file that cannot be opened
gets the plain message. The assistant itself is :mod:`desktop.dialogs.infusion_dialog`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from analysis.errors import ChoiceRequired
from analysis.model import Administration

from .infusion_reader import read_infusions

if TYPE_CHECKING:  # imported when called: infusion_dialog imports this module at its end
    from .infusion_dialog import InfusionImportAssistant

# --- entry point -----------------------------------------------------------------------------------


def import_infusions_interactively(parent: QWidget | None, path: str | Path, *,
                                   patient: str | None = None,
                                   lab_span: tuple[datetime, datetime] | None = None,
                                   ) -> tuple[Administration, ...] | None:
    """Read an infusion record, let the user choose the drug and check the doses; None = cancelled."""
    dialog = infusion_assistant(parent, path, patient=patient, lab_span=lab_span)
    if dialog is None:
        return None
    try:
        if dialog.exec() != dialog.DialogCode.Accepted:
            return None
        return dialog.administrations
    finally:
        dialog.deleteLater()


def infusion_assistant(parent: QWidget | None, path: str | Path, *,
                       patient: str | None = None,
                       lab_span: tuple[datetime, datetime] | None = None,
                       options: dict | None = None) -> InfusionImportAssistant | None:
    """The assistant after a first read behind a busy indicator, or None (error shown, or cancelled).

    ``patient`` is the patient of the lab results. When the record has no infusions for that
    patient it is read as it is, and the assistant says plainly that it is another patient's
    record (and asks before it is used): never one patient's labs with another's infusions
    without the user knowing. A record Nadir cannot read by itself opens the assistant too, on
    the file and its columns; only a file that cannot be opened gets the plain message.
    ``options`` replays earlier choices (the project's settings).
    """
    from ..workers import Cancelled, run_with_progress
    from .errors import show_error
    from .infusion_dialog import InfusionImportAssistant

    path = Path(path)
    options = dict(options or {})
    if patient:
        options.setdefault("patient", patient)
    try:
        first = run_with_progress(parent, f"Reading {path.name}…", read_infusions, path, options)
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words, never as a traceback
        show_error(parent, exc)
        return None
    filtered = bool(options.get("patient"))
    if first.error is not None and not isinstance(first.error, ChoiceRequired) and filtered:
        # The record names another patient (or spells the identifier differently): read it
        # without the filter; the assistant compares the two and warns.
        unfiltered = {k: v for k, v in options.items() if k != "patient"}
        try:
            again = run_with_progress(parent, f"Reading {path.name}…", read_infusions, path, unfiltered)
        except Cancelled:
            return None
        except Exception as exc:  # noqa: BLE001
            show_error(parent, exc)
            return None
        if again.error is None:
            return InfusionImportAssistant(parent, path, again, lab_patient=options.get("patient"),
                                           lab_span=lab_span, options=unfiltered)
    if first.error is not None and not first.headings:
        show_error(parent, first.error)  # no table at all: nothing to choose from
        return None
    return InfusionImportAssistant(parent, path, first, lab_patient=patient, lab_span=lab_span, options=options)
