"""Real widgets, offscreen: the platform is chosen before Qt is imported, and settings and the
recovery folder go to a temporary place so tests never touch the user's."""

from __future__ import annotations

import os

if not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty: no display is assumed
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory):
    QStandardPaths.setTestModeEnabled(True)
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    yield


@pytest.fixture(scope="session")
def qapp(_isolated_settings):
    from desktop.app import make_app

    return make_app([])


@pytest.fixture(scope="session")
def demo_case():
    from analysis.demo import load_demo

    return load_demo()


@pytest.fixture
def demo_sources():
    from analysis.demo import demo_paths

    labs, infusions, events = demo_paths()
    return {"labs": labs, "infusions": infusions, "events": events}


def _shown_window(qtbot, case=None, sources=None):
    """A MainWindow on screen (with ``case`` loaded), closed without questions afterwards."""
    from desktop.main_window import MainWindow

    win = MainWindow(remember=False)
    if case is not None:
        win.doc.load(case, sources=sources)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.doc.undo_stack.setClean()
    win.doc.mark_saved()
    win.session.discard_recovery()
    win.close()
    win.deleteLater()


@pytest.fixture
def window(qtbot, qapp, demo_case, demo_sources):
    yield from _shown_window(qtbot, demo_case, demo_sources)


@pytest.fixture
def empty_window(qtbot, qapp):
    yield from _shown_window(qtbot)
