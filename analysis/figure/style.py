"""Type, sizes and marker shapes of the figure: the choices a journal's art editor checks.

Sizes are in points at the final printed size (the figure is made at column width, never
scaled). The typeface is chosen in ``fonts.py`` (Arial or Helvetica, else the bundled Liberation
Sans); ``FONT_FAMILY`` is only the last resort, which ships with matplotlib.
"""

from __future__ import annotations

FONT_FAMILY = "DejaVu Sans"
PT_MM = 25.4 / 72  # one point in millimetres
TICK_FRAC = 0.045  # an event's tick at the foot of panel A reaches this fraction of the plot's height
DEFAULT_FONT_PT = 7.0  # Nature: 5-7 pt; Blood/Wiley: 6-8 pt at final size
MIN_FONT_PT = 6.0  # below this a warning: most journals reject smaller text
SMALL_DELTA_PT = 1.0  # secondary labels (cycle numbers, thresholds) are this much smaller
LETTER_DELTA_PT = 2.0  # panel letters are this much larger, bold

# Line widths in points.
AXIS_LW = 0.6
JOIN_LW = 0.6  # line joining draws
THRESHOLD_LW = 0.5
MEDIAN_LW = 1.6
CYCLE_LINE_LW = 0.6

# Marker shapes by role: shapes as well as colours, so roles survive greyscale printing and
# colour-vision deficiency. Names are matplotlib's, which pyqtgraph also understands
# ("o" circle, "s" square, "D" diamond (pyqtgraph "d"), "v" triangle down).
MARKER = {"pre": "o", "post": "s", "other": "o", "infection": "D"}
MARKER_SIZE_PT = {"pre": 4.2, "post": 3.8, "other": 3.4, "infection": 4.2}  # diameter
INFUSION_MARKER = "v"
INFUSION_MARKER_PT = 4.5
MIN_INFUSION_MARKER_PT = 2.0  # crowded courses (a ten-year record) shrink to this, never change shape
COURSE_SPAN_LW = 1.2  # the bar from a multi-day course's first infusion to its last
MARKER_EDGE_LW = 0.5

ROLES = ("pre", "post", "other", "infection")
ROLE_LABEL = {
    "pre": "Pre-infusion",
    "post": "Day after infusion",
    "other": "Other draws",
    "infection": "Infection-affected",
}

# Line styles by name, shared with the screen renderer.
DASHED = "--"
DOTTED = ":"
DASHDOT = "-."
SOLID = "-"

# Axis labels. Unicode rather than mathtext so that SVG/PDF keep one searchable text string
# and the on-screen chart can show the same label.
ANC_LABEL = "ANC (×10³/µL)"
DAYS_LABEL = "Days since first infusion"
DATES_LABEL = "Date"
CYCLE_DAY_LABEL = "Day of cycle"
SINCE_INFUSION_LABEL = "Days since infusion"


def rc_params(font_pt: float, family: str = FONT_FAMILY) -> dict:
    """matplotlib rcParams for publication output, applied with ``rc_context``."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, FONT_FAMILY],
        "font.size": font_pt,
        "axes.linewidth": AXIS_LW,
        "axes.labelsize": font_pt,
        "axes.titlesize": font_pt,
        "xtick.labelsize": font_pt,
        "ytick.labelsize": font_pt,
        "xtick.major.width": AXIS_LW,
        "ytick.major.width": AXIS_LW,
        "xtick.major.size": 2.5,
        "ytick.major.size": 2.5,
        "xtick.major.pad": 2.0,
        "ytick.major.pad": 2.0,
        "axes.labelpad": 2.5,
        "legend.fontsize": font_pt,
        "mathtext.fontset": "dejavusans",
        "pdf.fonttype": 42,  # TrueType, embedded and editable
        "ps.fonttype": 42,
        "svg.fonttype": "none",  # text stays text
        "svg.hashsalt": "nadir",  # fixed ids: identical bytes on every run
        "path.simplify": True,
        "image.interpolation": "nearest",
        "savefig.facecolor": "white",
        "savefig.edgecolor": "white",
        "figure.facecolor": "white",
    }
