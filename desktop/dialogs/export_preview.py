"""The export dialog's preview: the publication figure as the file will be, then its check.

A change schedules a render after a short pause (typing 1, 2, 0 into the height is one render,
not three). The figure is drawn once, at the resolution that fits the pane, and shown at once;
the collision check then lays out that same figure on the render thread (``layout_check``
needs text extents, not pixels) and its warnings follow. A figure that Export would refuse
then has the heights above it tried, on the same thread, for the smallest at which its labels
are clear. The check and that height are kept (``check``, an ``analysis.figure.LayoutCheck``)
for Export to use on an equal figure instead of doing both again. A render, check or search
that a newer change has made stale is dropped: its answer is never shown, one that has not
started yet never runs (``workers.Task.cancel``), and a search under way stops at its next
height.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from analysis.figure import LayoutCheck

from ..workers import Task, render_pool
from .figure_render import find_clean_height, preview_layout, preview_picture
from .widgets import note

PREVIEW_DELAY_MS = 120  # a pause between keystrokes; the render itself takes most of the 0.5 s target
MAX_PREVIEW_DPI = 220  # beyond this the preview costs time without showing more
MM_PER_INCH = 25.4
QT_FORMAT = {"RGB": QImage.Format.Format_RGB888, "L": QImage.Format.Format_Grayscale8}


class ExportPreview(QWidget):
    """The page on a grey desk with its caption; ``shown`` when a new picture is on screen,
    ``checked(warnings)`` when every warning for it is known, ``searched(height)`` when the
    height at which a refused figure is clear is known (None: none within reach),
    ``failed(exception)``."""

    shown = Signal()
    checked = Signal(list)
    searched = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.count = 0  # pictures shown (the tests and the benchmark watch it change)
        self.checks = 0  # checks finished
        self.warnings: list[str] = []  # every warning of the last checked picture
        self._layout_warnings: list[str] = []  # the collisions the last check found
        self._own: tuple[list[str], list[str]] = ([], [])  # the shown picture's other warnings
        self._picture: Task | None = None
        self._check: Task | None = None
        self._search: Task | None = None
        self.check: LayoutCheck | None = None  # the last finished check (of the picture shown)
        self._request: tuple = ()
        self.has_picture = False

        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._render)

        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("background: white;")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(False)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.viewport().setStyleSheet("background: #7f8489;")  # a desk around the white page
        self.caption = note()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.caption)

    @property
    def busy(self) -> bool:
        """A render is waiting, drawing or being checked (or its clean height looked for)."""
        return (self._picture is not None or self._check is not None or self._search is not None
                or self._timer.isActive())

    @property
    def searching(self) -> bool:
        return self._search is not None

    def schedule(self, case, settings) -> None:
        """Draw ``settings``' figure of ``case`` after the pause; what is on the way is dropped."""
        self._request = (case, settings)
        self._drop()
        self._timer.start()

    def stop(self) -> None:
        """No picture or warning arrives after this (the dialog is closing)."""
        self._drop()
        self._timer.stop()

    def dpi(self, settings) -> tuple[float, float]:
        """(render dpi, scale shown) so the figure fits the preview area at screen sharpness."""
        area = self.scroll.viewport().size()
        if area.width() < 100 or area.height() < 100:
            area = QSize(760, 600)
        w_in = settings.width_mm / MM_PER_INCH
        h_in = settings.height_mm / MM_PER_INCH
        screen_dpi = self.logicalDpiX() or 96
        fit = min((area.width() - 24) / w_in, (area.height() - 24) / h_in, MAX_PREVIEW_DPI)
        ratio = self.devicePixelRatioF() or 1.0
        return fit * ratio, fit / screen_dpi

    def _drop(self) -> None:
        for task in (self._picture, self._check, self._search):
            if task is not None:
                task.cancel()
        self._picture = self._check = self._search = None

    def _render(self) -> None:
        case, settings = self._request
        dpi, scale = self.dpi(settings)
        task = Task(preview_picture, case, settings, dpi)
        task.finished.connect(lambda result, t=task: self._show(t, result, settings, scale))
        task.failed.connect(lambda exc, t=task: self._failed(t, exc))
        self._picture = task
        task.start(render_pool())

    def _show(self, task: Task, result, settings, scale: float) -> None:
        if task is not self._picture:
            return
        self._picture = None
        spec, image, before, after = result
        qimage = QImage(image.pixels, image.width, image.height, len(image.pixels) // image.height,
                        QT_FORMAT[image.mode]).copy()  # copy: the bytes object is not kept
        qimage.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        self.label.setPixmap(QPixmap.fromImage(qimage))
        self.label.adjustSize()
        self.has_picture = True
        self.count += 1
        self.caption.setText(
            f"{settings.width_mm:g} × {settings.height_mm:g} mm, text {settings.font_pt:g} pt — shown at "
            f"{scale * 100:.0f}% of the printed size.")
        # Until the check reports, the last check's collisions stay listed: a warning that
        # blinks off and on at every step of the height would be noise.
        self._own = (before, after)
        self.check = None  # of the picture before; this one's follows
        self.shown.emit()
        check = Task(preview_layout, spec, image)
        check.finished.connect(lambda problems, t=check: self._checked(t, spec, settings, problems))
        check.failed.connect(lambda exc, t=check: self._failed(t, exc))
        self._check = check
        check.start(render_pool())

    def shown_warnings(self) -> list[str]:
        """The warnings to show now: the new picture's own, with the last known collisions."""
        before, after = self._own
        return [*before, *self._layout_warnings, *after]

    def _checked(self, task: Task, spec, settings, problems: list[str]) -> None:
        if task is not self._check:
            return
        self._check = None
        self._layout_warnings = list(problems)
        self.warnings = self.shown_warnings()
        self.check = check = LayoutCheck(spec, problems)
        self.checks += 1
        if check.refused:  # before the signal, so that its receivers see the search under way
            case, _settings = self._request
            # Asked by the search between heights. The Task is held weakly, so that no cycle
            # keeps it for a garbage collection on some other thread to free.
            task: list[weakref.ref] = []
            search = Task(find_clean_height, case, settings, check,
                          lambda: (t := task[0]()) is None or t.cancelled)
            task.append(weakref.ref(search))
            search.finished.connect(lambda found, t=search: self._searched(t, found))
            search.failed.connect(lambda exc, t=search: self._failed(t, exc))
            self._search = search
            search.start(render_pool())
        self.checked.emit(self.warnings)

    def _searched(self, task: Task, check: LayoutCheck) -> None:
        if task is not self._search:
            return
        self._search = None
        self.searched.emit(check.works)

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task not in (self._picture, self._check, self._search):
            return
        self._picture = self._check = self._search = None
        self.failed.emit(exc)
