"""Real widgets, offscreen: the platform is chosen before Qt is imported, and settings and the
recovery folder go to a temporary place so tests never touch the user's.

Two guards keep one test from hanging or upsetting another:

* each test has an application-data folder of its own (the recovery journal, the crash logs):
  Qt's test mode alone puts them in ``~/.qttest``, shared by every test, every run and every
  test process on the machine, so a recovery file one left was found by the next;
* a modal dialog the test did not ask for (``QDialog.exec``, ``QMenu.exec``, the static
  ``QMessageBox``/``QFileDialog``/``QInputDialog`` functions) fails the test at once with the
  dialog's title and text, instead of waiting in its own event loop for a click that never
  comes. A test that patches the dialog (``monkeypatch.setattr(SomeDialog, "exec", ...)``)
  overrides the guard as before; one that drives a real modal dialog from a timer is marked
  ``@pytest.mark.real_modals``, and there a modal left open for ``MODAL_WATCHDOG_S`` is closed
  and the test failed.
"""

from __future__ import annotations

import os

if not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty: no display is assumed
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

import time

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialog,
    QFileDialog,
    QFontDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
)

MODAL_WATCHDOG_S = 30  # the real-modal tests close theirs within a few seconds


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory):
    QStandardPaths.setTestModeEnabled(True)
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    yield


@pytest.fixture(autouse=True)
def _own_app_data(tmp_path_factory, monkeypatch):
    """The recovery journal and crash logs of this test only (see the module's docstring)."""
    from desktop import crash, session

    folder = tmp_path_factory.mktemp("appdata")
    monkeypatch.setattr(session, "recovery_folder", lambda: folder / "recovery")
    monkeypatch.setattr(crash, "log_folder", lambda: folder / "logs")


class UnexpectedModal(BaseException):
    """A modal dialog nobody was going to close. A BaseException, so that the app's own
    ``except Exception`` (which would show it in yet another dialog) lets it through."""


def _dialog_words(dialog) -> str:
    if isinstance(dialog, QMessageBox):
        words = [dialog.text(), dialog.informativeText()]
    elif isinstance(dialog, QMenu):
        words = [a.text() for a in dialog.actions() if a.text()]
    else:
        words = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    text = " | ".join(w.strip() for w in words if w and w.strip())
    return text[:400] + ("…" if len(text) > 400 else "")


_STATIC_DIALOGS = {
    QMessageBox: ("question", "warning", "information", "critical", "about", "aboutQt"),
    QFileDialog: ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory",
                  "getOpenFileUrl", "getOpenFileUrls", "getSaveFileUrl", "getExistingDirectoryUrl"),
    QInputDialog: ("getText", "getMultiLineText", "getInt", "getDouble", "getItem"),
    QColorDialog: ("getColor",),
    QFontDialog: ("getFont",),
}


@pytest.fixture(autouse=True)
def _no_unexpected_modal(request):
    """Fail at once, with its words, on a modal dialog the test did not expect (module docstring)."""
    opened: list[str] = []

    def refuse(what: str):
        opened.append(what)
        raise UnexpectedModal(f"{what}: a modal dialog that nobody in this test closes (patch its exec, "
                              "or mark the test real_modals and close it from a timer)")

    def exec_(self, *args, **kwargs):
        kind = type(self).__name__
        title = self.windowTitle() if hasattr(self, "windowTitle") else ""
        refuse(f"{kind} {title!r} opened with exec(): {_dialog_words(self)!r}")

    def static(cls, name):
        def shown(*args, **kwargs):
            words = [str(a) for a in args[1:3] if isinstance(a, str)]  # (parent, title, text/caption, ...)
            refuse(f"{cls.__name__}.{name}({', '.join(map(repr, words))})")
        return staticmethod(shown)

    real = request.node.get_closest_marker("real_modals") is not None
    with pytest.MonkeyPatch.context() as patch:
        if not real:
            for cls in (QDialog, QMenu):
                patch.setattr(cls, "exec", exec_)
                if "exec_" in cls.__dict__:
                    patch.setattr(cls, "exec_", exec_)
            for cls, names in _STATIC_DIALOGS.items():
                for name in names:
                    patch.setattr(cls, name, static(cls, name))
            yield
        else:
            request.getfixturevalue("qapp")
            yield from _modal_watchdog(opened)
    if opened:
        pytest.fail("unexpected modal dialog: " + "; ".join(opened), pytrace=False)


def _modal_watchdog(opened: list[str]):
    """For a test driving real modal dialogs: one still open after MODAL_WATCHDOG_S is noted
    and closed, so that a test whose timer missed it fails instead of waiting for ever."""
    seen: dict[int, float] = {}

    def look() -> None:
        top = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if top is None:
            seen.clear()
            return
        first = seen.setdefault(id(top), time.monotonic())
        if time.monotonic() - first > MODAL_WATCHDOG_S:
            opened.append(f"{type(top).__name__} {top.windowTitle()!r} still open after {MODAL_WATCHDOG_S} s: "
                          f"{_dialog_words(top)!r}")
            seen.pop(id(top), None)
            if isinstance(top, QDialog):
                top.reject()
            else:
                top.close()

    timer = QTimer(interval=500)
    timer.timeout.connect(look)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
        timer.deleteLater()


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
