"""The import assistants, driven as a user would: open a file, answer the questions, Import.

Every layout of tests/data/formats goes through the lab assistant and must give the ANC series
of expected.json; a damaged file must give the plain message and nothing else.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from analysis.model import ANC
from desktop.dialogs import import_infusions_interactively, import_labs_interactively
from desktop.dialogs.infusion_dialog import InfusionImportAssistant
from desktop.dialogs.lab_import_dialog import LabImportAssistant

DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = DATA / "formats"
EXPECTED = json.loads((FORMATS / "expected.json").read_text(encoding="utf-8"))
BROKEN = sorted((DATA / "broken").iterdir())
WAIT_MS = 30_000


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def _series(lab):
    anc = lab.observations[lab.observations["analyte"] == ANC]
    return [
        (row.time.to_pydatetime(), round(float(row.value), 6), row.censored if isinstance(row.censored, str) else None)
        for row in anc.itertuples(index=False)
    ]


def _expected(name: str):
    return [
        (datetime.fromisoformat(p["time"]), round(float(p["anc"]), 6), p["censored"])
        for p in EXPECTED[name]["series"]
    ]


@pytest.fixture
def messages(monkeypatch):
    """Every message box shown, as (title, text, informative text); none is left open."""
    shown: list[tuple[str, str, str]] = []

    def fake_exec(box):
        shown.append((box.windowTitle(), box.text(), box.informativeText()))
        return int(QMessageBox.StandardButton.Ok)

    from desktop.dialogs.errors import ErrorDialog

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return shown


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_layout_imports_the_expected_anc_series(qtbot, qapp, name):
    dialog = LabImportAssistant(None, FORMATS / name)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)

    if "patient" in EXPECTED[name]:
        # Nothing is imported until the user says whose results these are.
        assert dialog.banner.isVisibleTo(dialog)
        assert not dialog.import_button.isEnabled()
        assert "2 patients" in dialog.banner.question.text()
        dialog.choice.combo.setCurrentText(EXPECTED[name]["patient"])
        qtbot.mouseClick(dialog.banner.button, Qt.MouseButton.LeftButton)
        _wait(qtbot, dialog)

    assert not dialog.banner.isVisibleTo(dialog)
    assert dialog.import_button.isEnabled(), dialog.status.text.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    lab = dialog.lab_import
    assert _series(lab) == _expected(name)
    if "patient" in EXPECTED[name]:
        assert lab.patient == EXPECTED[name]["patient"]
    if name == "derived_from_differential.xlsx":
        assert bool(lab.series()["derived"].all())


def test_preview_shows_the_file_with_the_header_row_and_columns_marked(qtbot, qapp):
    dialog = LabImportAssistant(None, DATA / "ivig-mmn" / "labs.xlsx")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    model = dialog.sheet_model
    assert model.header_index == 4  # the title block fills rows 1-4
    assert model.data(model.index(4, 0)) == "MRN"
    assert set(model.tints.values()) >= {"time", "test", "result"}
    assert "row 5" in dialog.header_spin.specialValueText()
    assert dialog.results_model.rowCount() == len(dialog._read.lab.observations)


def test_entry_point_returns_the_import_after_the_user_accepts(qtbot, qapp, monkeypatch, messages):
    def user(dialog):
        qtbot.addWidget(dialog)
        _wait(qtbot, dialog)
        dialog.choice.combo.setCurrentText("E0000001")
        dialog.banner.button.click()
        _wait(qtbot, dialog)
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", user)
    lab = import_labs_interactively(None, FORMATS / "two_patients.xlsx")
    assert lab is not None and lab.patient == "E0000001"
    assert _series(lab) == _expected("two_patients.xlsx")
    assert messages == []


def test_cancel_returns_nothing(qtbot, qapp, monkeypatch):
    def user(dialog):
        qtbot.addWidget(dialog)
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", user)
    assert import_labs_interactively(None, FORMATS / "wide_flowsheet.xlsx") is None


def _ambiguous_csv(tmp_path: Path) -> Path:
    """The portal export without the draws whose day is above 12: every date reads both ways."""
    lines = (FORMATS / "portal_cells_per_ul.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if int(line.split(",")[-1].split("/")[1]) <= 12]
    path = tmp_path / "ambiguous_dates.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("order, first", [("DMY", datetime(2023, 1, 3, 8, 0)), ("MDY", datetime(2023, 3, 1, 8, 0))])
def test_dates_that_read_both_ways_are_asked_with_an_example(qtbot, qapp, tmp_path, order, first):
    dialog = LabImportAssistant(None, _ambiguous_csv(tmp_path))
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.banner.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()
    question = dialog.banner.question.text()
    assert "03/01/2023" in question and "1 March 2023" in question and "3 January 2023" in question
    buttons = {b.property("order"): b for b in dialog.choice_buttons()}
    assert set(buttons) == {"MDY", "DMY"}
    assert not dialog.banner.button.isEnabled()  # no answer, no guess
    buttons[order].click()
    dialog.banner.button.click()
    _wait(qtbot, dialog)
    assert dialog.import_button.isEnabled(), dialog.status.text.text()
    dialog.import_button.click()
    series = dialog.lab_import.series()
    assert series["time"].iloc[0].to_pydatetime() == first
    assert dialog.import_options()["date_order"] == order


def test_mapping_a_test_to_not_imported_reads_the_file_again(qtbot, qapp):
    dialog = LabImportAssistant(None, FORMATS / "wide_flowsheet.xlsx")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    names = [dialog.mapping_table.item(r, 0).text() for r in range(dialog.mapping_table.rowCount())]
    assert "ANC (x10^3/uL)" in names
    combo = dialog.mapping_table.cellWidget(names.index("ANC (x10^3/uL)"), 1)
    assert combo.currentData() == ANC
    combo.setCurrentIndex(combo.findData("ignore"))
    _wait(qtbot, dialog)
    # Without its ANC column the flowsheet has no neutrophil count: said in words, no import.
    assert not dialog.import_button.isEnabled()
    assert "neutrophil" in dialog.status.text.text()
    dialog.reset_options()
    _wait(qtbot, dialog)
    assert dialog.import_button.isEnabled()


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_a_broken_file_gives_the_plain_message_and_no_assistant(qtbot, qapp, monkeypatch, messages, path):
    opened = []
    monkeypatch.setattr(LabImportAssistant, "exec", lambda self: opened.append(self) or 0)
    assert import_labs_interactively(None, path) is None
    assert opened == []
    assert len(messages) == 1
    title, text, todo = messages[0]
    assert title == "Nadir could not read the file"
    assert path.name in text
    assert todo  # what to do next
    everything = " ".join(messages[0])
    assert "Traceback" not in everything and "Error:" not in everything and 'File "' not in everything


def test_infusion_record_lists_one_line_per_dose(qtbot, qapp):
    dialog = InfusionImportAssistant(None, DATA / "ivig-mmn" / "infusions.xlsx")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    products = [dialog.product_combo.itemData(i) for i in range(dialog.product_combo.count())]
    assert any(p.startswith("IVIG") for p in products)
    assert dialog.product_combo.currentData().startswith("IVIG")
    n = dialog.table.rowCount()
    dialog.premed_check.setChecked(True)  # shown for checking, never counted
    _wait(qtbot, dialog)
    assert dialog.table.rowCount() > n
    dialog.ok_button.click()
    given = dialog.administrations
    assert len(given) == n
    assert all(a.product.startswith("IVIG") for a in given)
    assert given[-1].time == datetime(2022, 12, 20, 9, 30)
    assert given[-1].dose_per_kg == pytest.approx(1.0)


def test_infusion_entry_point_and_product_choice(qtbot, qapp, monkeypatch):
    def user(dialog):
        qtbot.addWidget(dialog)
        _wait(qtbot, dialog)
        index = next(i for i in range(dialog.product_combo.count())
                     if not dialog.product_combo.itemData(i).startswith("IVIG"))
        dialog.product_combo.setCurrentIndex(index)
        _wait(qtbot, dialog)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(InfusionImportAssistant, "exec", user)
    given = import_infusions_interactively(None, DATA / "ivig-mmn" / "infusions.xlsx")
    assert given and not any(a.product.startswith("IVIG") for a in given)


def test_import_case_strings_the_assistants_together(qtbot, qapp, monkeypatch):
    from desktop.dialogs import case_import

    files = iter([DATA / "ivig-mmn" / "infusions.xlsx"])
    monkeypatch.setattr(case_import, "ask_open_inputs", lambda parent: [DATA / "ivig-mmn" / "labs.xlsx"])
    monkeypatch.setattr(case_import, "ask_open", lambda parent, title, *filters: next(files))
    monkeypatch.setattr(case_import, "ask_infusion_source", lambda parent: "file")

    def accept(dialog):
        qtbot.addWidget(dialog)
        _wait(qtbot, dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", accept)
    monkeypatch.setattr(InfusionImportAssistant, "exec", accept)

    class Window(QWidget):
        loaded = None

        def load_case(self, case, *, sources, settings=None):
            self.loaded = (case, sources, settings)

    window = Window()
    qtbot.addWidget(window)
    case = case_import.import_case(window)
    assert window.loaded is not None and window.loaded[0] is case
    assert len(case.labs.series()) == 25
    assert case.administrations[-1].time == datetime(2022, 12, 20, 9, 30)
    assert set(window.loaded[1]) == {"labs", "infusions"}
    # What the assistants decided travels with the case, for the project to keep.
    imports = case.import_settings
    assert imports.labs.patient == "E0000001" and imports.labs.sheet == "Results"
    assert imports.infusions.product == "IVIG" and imports.infusions.patient == "E0000001"
    # Panel B expands the first cycle of usual length with more than two draws after its
    # infusion, the rule `nadir render` and the figure's "auto" use.
    from analysis.figure.panel_b import default_panel_b, resolve_panel_b, typical_length

    low, high = typical_length(case.cycles)
    followed = [c.number for c in case.cycles if len([d for d in c.draws if d.time > c.start]) > 2
                and low <= (c.end - c.start).days <= high]
    assert window.loaded[2].panel_b == default_panel_b(case.cycles) == f"cycle:{followed[0]}"
    assert resolve_panel_b("auto", case.cycles) == window.loaded[2].panel_b


def test_a_fault_in_nadir_is_said_as_such_without_a_traceback(qapp, messages):
    from desktop.dialogs import show_error

    try:
        {}["missing"]
    except KeyError as exc:
        show_error(None, exc)
    (title, text, todo), = messages
    assert title == "Nadir ran into a problem"
    assert "internal error" in text and "KeyError" in todo
    assert "Traceback" not in text + todo


def test_the_hand_choices_are_kept_in_the_import_settings(qtbot, qapp):
    from analysis.importing.observations import import_labs

    path = DATA / "ivig-mmn" / "labs.xlsx"
    dialog = LabImportAssistant(None, path)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    dialog.header_spin.setValue(5)
    _wait(qtbot, dialog)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("long"))
    _wait(qtbot, dialog)
    # The measured ANC left out: the count is derived from the WBC and the neutrophil percentage.
    names = [dialog.mapping_table.item(r, 0).text() for r in range(dialog.mapping_table.rowCount())]
    combo = dialog.mapping_table.cellWidget(names.index("NEUTROPHILS ABSOLUTE"), 1)
    combo.setCurrentIndex(combo.findData("ignore"))
    _wait(qtbot, dialog)
    dialog.import_button.click()
    lab = dialog.lab_import
    assert bool(lab.series()["derived"].all())
    settings = lab.settings
    assert (settings.header_row, settings.layout, settings.mapping["NEUTROPHILS ABSOLUTE"]) == (5, "long", "")
    again = import_labs(path, settings=settings)  # what reopening the project does
    assert again.observations.equals(lab.observations)
