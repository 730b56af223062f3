"""The dialogs of the desktop app, as plain functions the main window calls.

Each takes plain inputs (a parent widget, a path, a case, figure settings) and returns plain
analysis records, or None when the user cancels. Errors the user can cause are shown in words
by the dialogs themselves. ``import_case`` strings the import assistants together for the
window's "Open lab results…".
"""

from __future__ import annotations

from .case_import import change_infusions, import_case, infusion_record_assistant
from .errors import show_error
from .export_dialog import export_figure
from .figure_render import copy_figure
from .format_dialog import format_figure
from .infusion_dialog import import_infusions_interactively
from .lab_import_dialog import import_labs_interactively
from .regimen_dialog import enter_regimen
from .table_export import export_table

__all__ = [
    "change_infusions",
    "copy_figure",
    "enter_regimen",
    "export_figure",
    "export_table",
    "format_figure",
    "import_case",
    "import_infusions_interactively",
    "import_labs_interactively",
    "infusion_record_assistant",
    "show_error",
]
