"""The window from the command line: what ``nadir --help`` says about it, and a file named on
the command line opening the right way (a lab export in the import assistant, a project as such)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication


def test_help_says_how_to_open_the_window(capsys):
    from desktop import cli

    with pytest.raises(SystemExit) as ended:
        cli.main(["--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "nadir opens the window (alone, with no command)" in text
    assert "nadir PROJECT.nadir opens a saved project in the window" in text


def test_a_lab_export_on_the_command_line_opens_the_import_assistant(qapp, monkeypatch, tmp_path):
    from desktop import app, cli
    from desktop.main_window import MainWindow

    labs = tmp_path / "two_patients.xlsx"
    labs.write_bytes(b"")
    args = cli._gui_args([str(labs)])
    assert args.project == labs
    opened = []
    monkeypatch.setattr(MainWindow, "open_labs", lambda self, path=None: opened.append(("labs", path)))
    monkeypatch.setattr(MainWindow, "open_project", lambda self, path: opened.append(("project", path)))
    monkeypatch.setattr(app, "_finish", lambda app_, window, screenshot, hook: (QApplication.processEvents(),
                                                                               hook.uninstall(), window.close(), 0)[-1])
    assert app.run_gui([labs]) == 0
    assert opened == [("labs", labs)]
    opened.clear()
    project = tmp_path / "case.nadir"
    assert app.run_gui([project]) == 0
    assert opened == [("project", project)]
