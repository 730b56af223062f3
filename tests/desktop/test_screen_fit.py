"""Every window and dialog fits a 1280 × 720 screen, also at 125-200 % scaling, with its action
buttons on screen (the issue: the export dialog opened at 1180 × 780 with its buttons below the
screen's edge, and at 150 % the main window's tabs and status bar were cut off).

Qt fixes a screen's size and scale factor when the application starts, so each screen is a
fresh process running ``screen_probe.py`` on the offscreen platform with a screen of that size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from desktop.screen_fit import fitted_size

PROBE = Path(__file__).with_name("screen_probe.py")
SCREENS = [  # (width, height, scale): a small laptop, and common desktop scalings
    (1280, 720, 1.0),
    (1920, 1080, 1.5),
    (1280, 720, 1.25),
    (1920, 1080, 1.75),
    (2560, 1440, 2.0),
]

EVERY_WINDOW = {  # each window and dialog a user can open (the chart's label dialog in both forms)
    "welcome window", "main window", "export dialog", "lab import assistant", "infusion import assistant",
    "events import assistant", "manual infusion entry", "event dialog", "error dialog", "format graph dialog",
    "label dialog", "statistics label dialog", "exclude value dialog", "user guide", "keyboard shortcuts",
    "about box", "chart controls box",
}


def probe(tmp_path: Path, width: int, height: int, scale: float) -> list[dict]:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=str(scale))
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    done = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=180,
                          cwd=PROBE.parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=lambda v: str(v))
def test_every_window_fits_the_screen(tmp_path, width, height, scale):
    reports = probe(tmp_path, width, height, scale)
    logical = QRect(0, 0, round(width / scale), round(height / scale))
    names = {r["name"] for r in reports}
    assert names == EVERY_WINDOW, EVERY_WINDOW ^ names
    problems = []
    for r in reports:
        assert abs(r["available"][2] - logical.width()) <= 1  # the probe really ran on that screen
        if not r["fits"]:
            problems.append(f"{r['name']} {r['frame']} is larger than the screen {r['available']}")
        if r["buttons_outside"]:
            problems.append(f"{r['name']}: buttons off screen: {r['buttons_outside']}")
        if r["panes_overlap"]:
            problems.append(f"{r['name']}: panes lie over each other or are cut: {r['panes_overlap']}")
    assert not problems, "\n".join(problems)


def test_the_import_assistants_fit_1280_by_720_at_150_percent(tmp_path):
    """853 x 480 logical: the assistants fit, with their buttons, and their two panes lie side by
    side (the results pane lay over the settings' scroll bar, its legend in one row 470-520 px
    wide). The welcome window does not fit that screen (476 px tall with its frame)."""
    assistants = {"lab import assistant", "infusion import assistant", "events import assistant"}
    reports = [r for r in probe(tmp_path, 1280, 720, 1.5) if r["name"] in assistants]
    assert {r["name"] for r in reports} == assistants
    assert all(r["available"][2:] == [853, 480] for r in reports), reports
    problems = [f"{r['name']}: {r}" for r in reports if not r["fits"] or r["buttons_outside"] or r["panes_overlap"]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("width", "height", "scale"), [(1280, 720, 1.0), (1920, 1080, 1.5)], ids=lambda v: str(v))
def test_the_chart_has_the_room_on_a_laptop_screen(tmp_path, width, height, scale):
    """At 1280 x 720 (and 1920 x 1080 at 150 %, the same logical screen) the docked tables took
    40 % of the window and panel B's plot 55 px, its notes on top of each other; then the
    tables got so little that the Cycles table showed two of the demo's six cycles and its
    summary was cut (the controls took two lines beside it)."""
    room = next(r for r in probe(tmp_path, width, height, scale) if r["name"] == "main window")["room"]
    assert room["tables_height"] <= 0.3 * room["window_height"], room
    assert room["chart_height"] >= 0.58 * room["window_height"], room
    assert room["plot_a_height"] >= 220, room  # 273 px when the table showed two rows
    assert room["panel_b_height"] >= 100, room
    assert room["cycle_rows"] >= 4, room
    assert not room["summary_cut"], room
    assert room["notes"] >= 4, room
    assert room["notes_touching"] == [] and room["notes_outside"] == [], room
    # "Leave out cycles with…" sat below the summary, scrolled out of the short dock.
    assert room["controls_cut"] == [], room


def test_the_tables_first_height_leaves_the_chart_its_room():
    from desktop.main_window import TABLES_MAX_PX, TABLES_MIN_PX, tables_height

    assert tables_height(900) == TABLES_MAX_PX  # a tall window: about a third, as before
    assert tables_height(662) < 0.3 * 662  # 1280 x 720 less the task bar and frame
    assert tables_height(400) == TABLES_MIN_PX  # the headings and a few rows stay
    heights = [tables_height(h) for h in range(400, 1400, 10)]
    assert heights == sorted(heights)  # a taller window never gets shorter tables


def test_fitted_size_keeps_the_preferred_size_where_there_is_room():
    assert fitted_size(QRect(0, 0, 2560, 1400), (1180, 780)).toTuple() == (1180, 780)
    small = fitted_size(QRect(0, 0, 853, 480), (1180, 780))
    assert small.width() < 853 and small.height() < 480
