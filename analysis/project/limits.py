"""What a project file is and the ranges its numbers must lie in: one home, read by the schema,
the store and the command line (which refuses a figure option the project could not keep).
Plain Python, so that neither the command line nor the window's start-up imports pydantic;
only reading a project does."""

from __future__ import annotations

FORMAT = "nadir-project"
VERSION = 2  # 2: one import settings record per file, validated schema; 1: Nadir 0.1

# name of the field -> (lowest, highest, unit, what it is called in a message)
LIMITS = {
    "width_mm": (20, 500, "mm", "the figure width"),
    "height_mm": (20, 500, "mm", "the figure height"),
    "dpi": (72, 2400, "dpi", "the resolution"),
    "font_pt": (4, 14, "pt", "the text size"),
    "course_gap_hours": (1, 2160, "h", "the gap between the infusions of one course"),
    "pre_window_hours": (0, 2160, "h", "the pre-infusion window"),
    "post_window_hours": (0, 2160, "h", "the post-infusion window"),
    "header_row": (1, 1_048_576, "", "the header row"),
    "row": (1, 1_048_576, "", "the row"),
    "dose": (0, 1_000_000, "", "the dose"),
    "weight_kg": (0.1, 1000, "kg", "the weight"),
}
