"""The export dialog: the preview is the publication renderer's own output and follows every
choice; Export writes the file at the journal's size; the clipboard gets image and SVG."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from analysis.figure import FigureSettings
from analysis.figure.presets import get_preset
from desktop.dialogs import export_figure
from desktop.dialogs.export_dialog import ExportDialog

PT_PER_MM = 72 / 25.4
WAIT_MS = 60_000


@pytest.fixture
def dialog(qtbot, qapp, demo_case):
    dlg = ExportDialog(None, demo_case, FigureSettings(width_mm=180, height_mm=120))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.rendering and dlg.preview_count > 0, timeout=WAIT_MS)
    return dlg


def _save_as(monkeypatch, path: Path, calls: list | None = None):
    def fake(parent, title, default, filters):
        if calls is not None:
            calls.append((default, filters))
        return str(path), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def test_export_pdf_at_the_journal_size(qtbot, dialog, monkeypatch, tmp_path):
    dialog.set_preset("wiley-double")
    dialog.height_spin.setValue(110)
    dialog.set_format("pdf")
    calls = []
    _save_as(monkeypatch, tmp_path / "figure 1", calls)  # no suffix typed: the format's is added
    dialog.export_button.click()
    path = tmp_path / "figure 1.pdf"
    assert path.exists() and path.read_bytes().startswith(b"%PDF")
    assert calls and calls[0][0].endswith(".pdf") and "*.pdf" in calls[0][1]
    box = PdfReader(path).pages[0].mediabox
    assert float(box.width) == pytest.approx(get_preset("wiley-double").width_mm * PT_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(110 * PT_PER_MM, abs=0.5)
    assert dialog.settings.preset == "wiley-double" and dialog.settings.height_mm == 110
    # The dialog stays open for the next format and says where the file went.
    assert dialog.isVisible()
    assert str(tmp_path) in dialog.status.text.text() and "figure 1.pdf" in dialog.status.text.text()
    assert dialog.show_button.isVisible()
    shown = []
    monkeypatch.setattr("desktop.folders.show_in_folder", shown.append)
    dialog.show_button.click()
    assert shown == [path]
    dialog.set_format("tiff")
    _save_as(monkeypatch, tmp_path / "figure 1", calls)
    dialog.export_button.click()
    assert (tmp_path / "figure 1.tif").read_bytes()[:2] in (b"II", b"MM")
    assert calls[-1][0].startswith(str(tmp_path))  # the second file dialog starts where the first saved


def test_the_format_and_folder_are_remembered(qtbot, qapp, demo_case, monkeypatch, tmp_path):
    first = ExportDialog(None, demo_case, FigureSettings())
    qtbot.addWidget(first)
    first.set_format("svg")
    _save_as(monkeypatch, tmp_path / "a.svg")
    first.export()
    first.done(0)
    again = ExportDialog(None, demo_case, FigureSettings())
    qtbot.addWidget(again)
    assert again.format_key == "svg"
    assert again.start_folder == tmp_path
    again.done(0)


def test_entry_point_returns_the_settings_used(qtbot, qapp, demo_case, monkeypatch, tmp_path):
    def user(dlg):
        qtbot.addWidget(dlg)
        dlg.set_preset("blood-single")
        dlg.set_format("tiff")
        dlg.dpi_combo.setCurrentIndex(dlg.dpi_combo.findData(300))
        _save_as(monkeypatch, tmp_path / "fig.tif")
        dlg.export_button.click()
        return dlg.result()

    monkeypatch.setattr(ExportDialog, "exec", user)
    used = export_figure(None, demo_case, FigureSettings())
    assert used is not None and used.preset == "blood-single" and used.width_mm == 80 and used.dpi == 300
    assert (tmp_path / "fig.tif").read_bytes()[:2] in (b"II", b"MM")

    monkeypatch.setattr(ExportDialog, "exec", lambda dlg: dlg.reject() or dlg.result())
    assert export_figure(None, demo_case, FigureSettings()) is None  # closed without exporting


def test_preview_follows_the_preset(qtbot, dialog):
    before = dialog.preview_count
    wide = dialog.preview_label.pixmap().size()
    dialog.set_preset("nature-single")  # 89 mm wide instead of 180: a tall, narrow figure
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview_count > before, timeout=WAIT_MS)
    narrow = dialog.preview_label.pixmap().size()
    assert wide.width() / wide.height() == pytest.approx(180 / 120, rel=0.03)
    assert narrow.width() / narrow.height() == pytest.approx(89 / 120, rel=0.03)
    assert "89 × 120 mm" in dialog.preview_caption.text()
    assert not dialog.width_spin.isEnabled()  # the journal fixes the width


def test_small_text_is_warned_about_in_the_dialog(qtbot, dialog):
    assert dialog.warning_label.isHidden()
    before = dialog.preview_count
    dialog.font_spin.setValue(5)
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview_count > before, timeout=WAIT_MS)
    assert not dialog.warning_label.isHidden()
    assert "5 pt" in dialog.warning_label.text() and "6 pt" in dialog.warning_label.text()


def test_the_picture_comes_first_and_the_collision_warning_follows(qtbot, qapp, demo_case):
    """A label moved onto a draw: the preview shows the picture, then warns as the check does."""
    from analysis.figure import build_figure, layout_problems
    from analysis.figure.labels import LabelOverride

    moved = FigureSettings(width_mm=180, height_mm=120,
                           labels=(LabelOverride(id="B:cycle1:post", dy_mm=3),))
    expected = layout_problems(build_figure(demo_case, moved))
    assert expected == ["'Day 1: 0.4' covers a marker"]  # the collision this test is about
    dlg = ExportDialog(None, demo_case, moved)
    qtbot.addWidget(dlg)
    seen = []
    dlg.preview.shown.connect(lambda: seen.append(("shown", not dlg.preview_label.pixmap().isNull(),
                                                   dlg.preview.checks)))
    dlg.preview.checked.connect(lambda warnings: seen.append(("checked", list(warnings))))
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.rendering and dlg.preview_count > 0, timeout=WAIT_MS)
    assert seen[0] == ("shown", True, 0)  # the picture, before any check
    assert seen[1] == ("checked", expected)
    assert dlg.preview_warnings == expected
    assert not dlg.warning_label.isHidden() and "covers a marker" in dlg.warning_label.text()

    # Said beside the buttons, and in view on a short screen (the controls scroll).
    assert "1 warning" in dlg.status.text.text()
    dlg.resize(1180, 620)
    qtbot.waitUntil(lambda: not dlg.rendering, timeout=WAIT_MS)
    assert dlg.warning_label.visibleRegion().boundingRect().size() == dlg.warning_label.size()

    before = dlg.preview_count  # the label put back: the warning goes with the next check
    dlg.settings = FigureSettings(width_mm=180, height_mm=120)
    dlg.height_spin.setValue(121)
    qtbot.waitUntil(lambda: not dlg.rendering and dlg.preview_count > before, timeout=WAIT_MS)
    assert dlg.preview_warnings == [] and dlg.warning_label.isHidden()


def test_copy_to_clipboard_gives_an_image_at_the_chosen_dpi_and_svg(qtbot, dialog):
    dialog.dpi_combo.setCurrentIndex(dialog.dpi_combo.findData(300))
    assert dialog.copy_to_clipboard()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    image = mime.imageData()
    assert image.width() == pytest.approx(180 / 25.4 * 300, abs=2)
    assert b"<svg" in bytes(mime.data("image/svg+xml"))


def test_copy_legend_and_methods(qtbot, dialog):
    text = dialog.copy_legend()
    assert text.startswith("Figure 1.")
    assert QGuiApplication.clipboard().text() == text


def test_export_table_as_csv(qtbot, dialog, monkeypatch, tmp_path):
    _save_as(monkeypatch, tmp_path / "cycles.csv")
    path = dialog.export_table()
    assert path == tmp_path / "cycles.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert len(rows) > len(dialog.case.cycles)


def test_settings_used_go_back_to_the_document_as_one_undo_step(qtbot, qapp, demo_case, monkeypatch, tmp_path):
    from desktop.document import CaseDocument

    doc = CaseDocument(demo_case, FigureSettings())

    def user(dlg):
        qtbot.addWidget(dlg)
        dlg.set_preset("cell-single")
        _save_as(monkeypatch, tmp_path / "fig.svg")
        dlg.set_format("svg")
        dlg.export_button.click()
        return dlg.result()

    monkeypatch.setattr(ExportDialog, "exec", user)
    used = export_figure(None, doc)
    assert used is not None and doc.settings == used and doc.settings.preset == "cell-single"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.settings.preset == ""
    assert b"<svg" in (tmp_path / "fig.svg").read_bytes()


def test_the_window_says_where_the_figure_went(qtbot, window, monkeypatch, tmp_path):
    # Once the dialog is closed, the window's status bar still says where the file went.
    def user(dlg):
        dlg.set_format("pdf")
        _save_as(monkeypatch, tmp_path / "fig.pdf")
        dlg.export_button.click()
        return dlg.result()

    monkeypatch.setattr(ExportDialog, "exec", user)
    export_figure(window, window.doc)
    assert str(tmp_path / "fig.pdf") in window.statusBar().currentMessage()


def test_font_colour_and_palette_are_chosen_in_the_dialog_and_dates_are_flagged(qtbot, dialog, monkeypatch,
                                                                                 tmp_path):
    from PIL import Image

    from analysis.figure.fonts import available_fonts

    style = dialog.style
    assert [style.font_combo.itemData(i) for i in range(style.font_combo.count())] == ["", *available_fonts()]
    assert style.dates_note.isHidden()
    dialog.axis_combo.setCurrentIndex(dialog.axis_combo.findData("dates"))
    assert not style.dates_note.isHidden() and "identify a patient" in style.dates_note.text()
    style.palette_combo.setCurrentIndex(style.palette_combo.findData("case-report"))
    assert dialog.settings.palette == "case-report"
    style.colour_combo.setCurrentIndex(style.colour_combo.findData("grey"))
    assert dialog.settings.colour == "grey" and not style.palette_combo.isEnabled()
    dialog.set_format("tiff")
    _save_as(monkeypatch, tmp_path / "grey.tif")
    dialog.export_button.click()
    with Image.open(tmp_path / "grey.tif") as im:
        assert im.mode == "L"


def test_cmyk_is_offered_for_tiff_only_and_said_before_export(qtbot, dialog, monkeypatch, tmp_path):
    from PIL import Image

    style = dialog.style
    dialog.set_format("pdf")
    assert style.format_note.isHidden() and dialog.export_button.isEnabled()
    count = dialog.preview_count
    style.colour_combo.setCurrentIndex(style.colour_combo.findData("cmyk"))
    # Before any file name is asked for: the note says why, and Export is off.
    assert not style.format_note.isHidden()
    assert "TIFF only" in style.format_note.text() and "PDF" in style.format_note.text()
    assert not dialog.export_button.isEnabled()
    asked = []
    _save_as(monkeypatch, tmp_path / "never.pdf", asked)
    assert dialog.export() is None and asked == [] and not (tmp_path / "never.pdf").exists()
    # The preview still draws (in the RGB the CMYK file is converted from), without a problem.
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview_count > count, timeout=WAIT_MS)
    assert "could not be drawn" not in dialog.status.text.text()
    assert dialog.copy_to_clipboard()  # Word and PowerPoint get the RGB picture
    for fmt in ("svg", "eps", "png"):
        dialog.set_format(fmt)
        assert not dialog.export_button.isEnabled() and fmt.upper() in style.format_note.text()
    dialog.set_format("tiff")
    assert style.format_note.isHidden() and dialog.export_button.isEnabled()
    _save_as(monkeypatch, tmp_path / "print.tif")
    dialog.export_button.click()
    with Image.open(tmp_path / "print.tif") as im:
        assert im.mode == "CMYK"
    dialog.set_format("pdf")
    style.colour_combo.setCurrentIndex(style.colour_combo.findData("rgb"))
    assert style.format_note.isHidden() and dialog.export_button.isEnabled()


def test_every_export_control_has_a_tooltip(dialog):
    """The issue: "the export controls have no tooltips" (five boxes, six lists, two sizes and
    Close still had none)."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox

    controls = [w for kind in (QAbstractButton, QComboBox, QAbstractSpinBox) for w in dialog.findChildren(kind)
                if w.isVisibleTo(dialog)]
    assert len(controls) >= 20
    bare = [w.currentText() if isinstance(w, QComboBox) else w.text() for w in controls if not w.toolTip()]
    assert not bare, bare


# --- the preview's collision check, used again by Export -------------------------------------------


@pytest.fixture
def checks(monkeypatch):
    """How often Export lays a figure out for the collision check, and every height search
    (with the thread it ran on)."""
    import importlib
    import threading

    import analysis.figure as figure

    render = importlib.import_module("analysis.figure.render")  # the package's ``render`` is the function

    done = {"export checks": 0, "searches": []}
    check, search = render.layout_problems, figure.clean_height

    def counted_check(*args, **kwargs):
        done["export checks"] += 1
        return check(*args, **kwargs)

    def counted_search(*args, **kwargs):
        done["searches"].append(threading.current_thread() is threading.main_thread())
        return search(*args, **kwargs)

    monkeypatch.setattr(render, "layout_problems", counted_check)  # what check_collisions calls
    monkeypatch.setattr(figure, "clean_height", counted_search)
    return done


@pytest.fixture
def error_dialogs(monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop.dialogs.errors import ErrorDialog

    shown = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda d: shown.append(
        f"{d.message_label.text()} {d.hint_label.text()}") or int(QDialog.DialogCode.Accepted))
    return shown


def test_export_uses_the_preview_check_of_the_same_figure_and_checks_any_other(qtbot, dialog, checks,
                                                                                 monkeypatch, tmp_path):
    assert dialog.preview.check is not None and dialog.preview.check.problems == ()
    dialog.set_format("pdf")
    _save_as(monkeypatch, tmp_path / "same.pdf")
    dialog.export_button.click()
    assert (tmp_path / "same.pdf").read_bytes().startswith(b"%PDF")
    assert checks["export checks"] == 0  # the preview's check of this very figure
    # One mm taller, exported before its preview is checked: another figure, checked again.
    dialog.height_spin.setValue(121)
    _save_as(monkeypatch, tmp_path / "taller.pdf")
    dialog.export_button.click()
    assert (tmp_path / "taller.pdf").exists() and checks["export checks"] == 1
    assert checks["searches"] == []


def test_a_check_of_an_earlier_figure_never_lets_a_collision_through(qtbot, dialog, checks, error_dialogs,
                                                                     monkeypatch, tmp_path):
    from analysis.figure.labels import LabelOverride

    assert dialog.preview.check.problems == ()  # the figure shown is clear
    # A label moved onto a draw, exported before the preview has drawn it: the kept check is of
    # the figure before, so Export checks this one, and refuses it.
    dialog.settings = FigureSettings(width_mm=180, height_mm=120, labels=(LabelOverride(id="B:cycle1:post", dy_mm=3),))
    dialog.set_format("pdf")
    _save_as(monkeypatch, tmp_path / "moved.pdf")
    dialog.export_button.click()
    assert not (tmp_path / "moved.pdf").exists()
    assert checks["export checks"] == 1
    assert len(error_dialogs) == 1 and "'Day 1: 0.4' covers a marker" in error_dialogs[0]


def test_a_refused_figure_has_its_clear_height_found_off_the_interface_thread_and_export_says_it(
        qtbot, qapp, demo_case, checks, error_dialogs, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    from tests.test_cli import _label_off_the_page

    import analysis.figure
    import analysis.figure.spec

    _label_off_the_page(monkeypatch, below_mm=124)  # a label off the page below 124 mm
    # the preview's build_figure too (the package keeps the one it handed out first)
    monkeypatch.setattr(analysis.figure, "build_figure", analysis.figure.spec.build_figure, raising=False)
    dlg = ExportDialog(None, demo_case, FigureSettings(preset="blood-single", width_mm=80, height_mm=120))
    qtbot.addWidget(dlg)
    ticks, during = [0], []
    clock = QTimer(interval=10)
    clock.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    clock.start()
    dlg.preview.checked.connect(lambda _w: during.append(ticks[0]))
    dlg.preview.searched.connect(lambda _h: during.append(ticks[0]))
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.rendering and dlg.preview_count > 0, timeout=WAIT_MS)
    clock.stop()
    check = dlg.preview.check
    assert check.refused and check.works == 124
    assert checks["searches"] == [False]  # once, on the render thread
    assert len(during) == 2 and during[1] - during[0] >= 3  # the window's timers ran meanwhile
    assert "at 80 × 124 mm the labels are clear" in dlg.warning_label.text()
    assert "Preview up to date" in dlg.status.text.text()

    dlg.set_format("pdf")
    _save_as(monkeypatch, tmp_path / "refused.pdf")
    dlg.export_button.click()
    assert not (tmp_path / "refused.pdf").exists()
    assert len(error_dialogs) == 1 and "At 80 x 124 mm they do not (--height-mm 124)" in error_dialogs[0]
    assert checks["export checks"] == 0 and checks["searches"] == [False]  # neither done again


def test_why_export_is_off_is_said_beside_the_buttons(qtbot, dialog):
    """h21's walk-through at 1280 x 720: CMYK chosen with PDF turned Export off, and the note
    saying why sits under Colour, scrolled out of view; the status line, always in view, said
    "Preview up to date." It says why now, and follows the format when it changes."""
    style = dialog.style
    dialog.set_format("pdf")
    count = dialog.preview_count
    style.colour_combo.setCurrentIndex(style.colour_combo.findData("cmyk"))
    qtbot.waitUntil(lambda: not dialog.rendering and dialog.preview_count > count, timeout=WAIT_MS)
    said = dialog.status.text.text()
    assert not dialog.export_button.isEnabled()
    assert "Export is off" in said and "TIFF only" in said and "PDF" in said
    dialog.set_format("tiff")  # redraws nothing: the line follows the format at once
    assert dialog.export_button.isEnabled() and "Export is off" not in dialog.status.text.text()
    dialog.set_format("svg")
    assert "Export is off" in dialog.status.text.text() and "SVG" in dialog.status.text.text()
