"""Screenshots for the README and the user guide, taken from the real windows offscreen.

    uv run python docs/make_screenshots.py

Writes docs/images/main-window.png, export-dialog.png, import-assistant.png, infusion-assistant.png,
events-assistant.png and figure-1.png (``--assistants``: only the infusion and events assistants).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def wait(app, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    settle(app)


def record_assistants(app) -> None:
    """The infusion-record and events assistants at 1280 x 720 (a small laptop), each on a corpus
    file the automatic read refuses, after the one choice that reads it."""
    from desktop.dialogs.events_dialog import EventImportAssistant
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    data = ROOT / "tests" / "data"
    infusions = InfusionImportAssistant(None, data / "treatment" / "two_text_columns.csv")
    infusions.show()
    infusions.resize(1280, 720)
    wait(app, 2500)
    infusions.roles.choose("drug", "Preparation")
    wait(app, 2500)
    infusions.grab().save(str(OUT / "infusion-assistant.png"))
    infusions.close()

    events = EventImportAssistant(None, data / "events" / "long_preamble.csv")
    events.show()
    events.resize(1280, 720)
    wait(app, 2500)
    events.header_spin.setValue(33)
    wait(app, 2500)
    events.grab().save(str(OUT / "events-assistant.png"))
    events.close()


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from analysis.demo import DEMO_WINDOW, demo_paths, load_demo
    from analysis.figure import FigureSettings, render_case
    from desktop.app import make_app, save_screenshot
    from desktop.dialogs.export_dialog import ExportDialog
    from desktop.dialogs.lab_import_dialog import LabImportAssistant
    from desktop.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    if "--assistants" in sys.argv[1:]:
        record_assistants(app)
        return 0
    case = load_demo()
    labs, infusions, events = demo_paths()

    window = MainWindow(remember=False)
    window.doc.load(case, sources={"labs": labs, "infusions": infusions, "events": events})
    window.show()
    # Dialogs size themselves from the free screen area (offscreen: a small virtual screen), so
    # the pictures are taken at a laptop-sized 1280 x 800 and the dialogs at their usual size.
    window.resize(1280, 800)
    settle(app)
    save_screenshot(app, window, OUT / "main-window.png")

    dialog = ExportDialog(None, case, FigureSettings().with_preset("wiley-double"))
    dialog.show()
    dialog.resize(1180, 760)
    # The preview renders in the background after a short pause; wait for it (up to a minute
    # on a busy machine), not a fixed time.
    for _ in range(600):
        if not dialog.rendering and dialog.preview_count > 0:
            break
        loop = QEventLoop()
        QTimer.singleShot(100, loop.quit)
        loop.exec()
    settle(app)
    dialog.grab().save(str(OUT / "export-dialog.png"))
    dialog.close()

    assistant = LabImportAssistant(None, ROOT / "tests" / "data" / "formats" / "german_decimal_comma.xlsx")
    assistant.show()
    assistant.resize(1240, 780)
    loop = QEventLoop()
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    settle(app)
    assistant.grab().save(str(OUT / "import-assistant.png"))
    assistant.close()
    record_assistants(app)

    render_case(case, FigureSettings(width_mm=180, height_mm=120, dpi=150), OUT / "figure-1.png")
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('*.png')))} ({DEMO_WINDOW[0]}..{DEMO_WINDOW[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
