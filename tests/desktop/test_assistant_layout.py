"""The import assistants at 1280 × 720 and 150 % (853 × 480 logical, the dialog 768 × 393): the
results pane lay over the settings pane's scroll bar and cut off the start of its own text, and
the tint legend's names were cut ("Columr", "Collecti"), because the legend in one row made the
results pane at least 500 px wide (551 in the infusion assistant) where 320 were left.

Under QT_SCALE_FACTOR the layout in logical pixels is the same as unscaled, so the dialog is
sized as ``fit_window`` sizes it on that screen, here on the test screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter

from analysis.demo import demo_paths
from desktop.dialogs.sheet_preview import TintLegend
from desktop.screen_fit import fitted_size

LOGICAL_SCREEN = QRect(0, 0, 853, 480)  # 1280 × 720 at 150 %
WAIT_MS = 30_000


def _assistant(name: str, parent=None):
    from desktop.dialogs.events_dialog import EventImportAssistant
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    labs, infusions, events = demo_paths()
    return {"lab": lambda: LabImportAssistant(parent, labs),
            "infusion": lambda: InfusionImportAssistant(parent, infusions),
            "events": lambda: EventImportAssistant(parent, events)}[name]()


def _in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize("name", ["lab", "infusion", "events"])
def test_the_panes_lie_side_by_side_at_853_by_480(qtbot, qapp, name):
    dialog = _assistant(name)
    qtbot.addWidget(dialog)
    size = fitted_size(LOGICAL_SCREEN, (1240, 800))
    dialog.setMinimumSize(size)  # as fit_window clamps the dialog's minimum to that screen
    dialog.resize(size)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    qtbot.wait(50)
    assert dialog.size() == size  # the dialog really is that small
    assert dialog.minimumSizeHint().width() <= size.width()  # its layout needs no more (before: 938)

    splitter = dialog.findChild(QSplitter)
    settings, results = splitter.widget(0), splitter.widget(1)
    assert isinstance(settings, QScrollArea)
    left, right = _in(settings, dialog), _in(results, dialog)
    assert left.right() < right.left(), (left, right)  # before: the results pane began 37 px inside
    assert results.width() >= results.minimumSizeHint().width()  # nothing of the results pane is cut
    bar = settings.verticalScrollBar()
    if bar.isVisible():
        assert not _in(bar, dialog).intersects(right)  # the settings' scroll bar can be reached
    # The first column of the settings and of the results starts inside its own pane.
    assert all(right.contains(_in(w, dialog).topLeft()) for w in (dialog.summary, dialog.tabs))
    form = settings.widget()
    assert settings.viewport().width() >= form.minimumSizeHint().width()

    legends = dialog.findChildren(TintLegend)
    assert legends
    for legend in legends:
        for label in legend.findChildren(QLabel):
            if label.text():
                assert label.width() >= label.sizeHint().width(), label.text()  # "Columr"
                assert legend.rect().contains(_in(label, legend)), label.text()


def test_the_legend_wraps_onto_lines_rather_than_widening_the_pane(qtbot):
    legend = TintLegend()
    qtbot.addWidget(legend)
    one_row = legend.sizeHint().width()
    assert legend.minimumSizeHint().width() < one_row / 2
    assert legend.heightForWidth(one_row // 2) > legend.heightForWidth(one_row)
