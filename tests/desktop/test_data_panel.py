"""The Data panel: an exclusion needs a reason, and units and dates read as in the rest of the
window while the data keep their spelling."""

from __future__ import annotations


def test_exclusion_needs_a_reason_and_says_so(window, qtbot, monkeypatch):
    from desktop.panels import data

    dialog = data.ReasonDialog(window, "ANC 0.4 on 06 Sep 2022")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    assert dialog.hint.isVisible() and "reason" in dialog.hint.text()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "clotted")
    assert dialog.ok.isEnabled() and not dialog.hint.isVisible()
    assert dialog.value() == "clotted"

    # The panel uses it: a reason given is kept with the exclusion.
    monkeypatch.setattr(data, "ask_reason", lambda parent, what: "haemolysed sample")
    assert window.data.exclude_row(0)
    assert "haemolysed sample" in {x.reason for x in window.doc.case.exclusions}
    monkeypatch.setattr(data, "ask_reason", lambda parent, what: None)
    assert not window.data.exclude_row(1)


def test_units_and_dates_read_as_in_the_rest_of_the_window(window):
    from desktop.display import unit_nowrap, unit_text

    assert unit_text("10^3/uL") == "×10³/µL"
    assert unit_text("g/dL") == "g/dL"
    assert "\n" not in unit_nowrap("10^3/uL") and unit_nowrap("10^3/uL").replace("\u2060", "") == "×10³/µL"
    model = window.data.model
    cols = [name for name, _ in __import__("desktop.panels.data", fromlist=["COLUMNS"]).COLUMNS]
    frame = model.frame()
    row = int((frame["unit"] == "10^3/uL").to_numpy().argmax())
    assert model.data(model.index(row, cols.index("unit"))) == "×10³/µL"
    assert frame["unit"].iat[row] == "10^3/uL"  # the data keep their spelling
    when = model.data(model.index(row, cols.index("time")))
    assert when[2] == " " and when[3:6].isalpha(), when  # "06 Sep 2022 …", not "2022-09-06"
