"""A dispensing cabinet's Return cancels the latest removal of the same drug before it (issue 10):
analysis/treatment/record_returns.py. The corpus layouts pyxis_remove_return and
omnicell_issue_return (tests/data/make_treatment_layouts.py) run in test_treatment_layouts.py."""

from __future__ import annotations

import csv

from analysis.treatment.medications import read_administrations

HEAD = ["Transaction Date/Time", "Transaction Type", "Med Description", "Qty", "Dose", "Dose Unit", "MRN"]
CARBO = "carboplatin 450 mg/45 mL vial"
RTX = "rituximab 500 mg vial"


def _read(tmp_path, rows):
    path = tmp_path / "pyxis.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEAD, *rows])
    return read_administrations(path, product="carboplatin")


def _row(when, kind, med=CARBO, qty=1, dose=450):
    return [when, kind, med, qty, dose, "mg", "77001"]


def test_a_return_cancels_only_the_latest_removal_of_its_drug_within_24_hours(tmp_path):
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Remove"),
        _row("2023-06-13 09:00", "Remove", RTX, dose=500),
        _row("2023-07-10 08:00", "Remove"),
        _row("2023-07-11 08:00", "Remove"),
        _row("2023-07-11 09:00", "Remove", RTX, dose=500),
        _row("2023-07-11 10:00", "Return"),  # gives back the carboplatin of 08:00, not the rituximab
        _row("2023-08-07 08:00", "Remove"),
        _row("2023-08-09 09:00", "Return"),  # 49 h after the last removal: cancels nothing
    ])
    assert [f"{a.time:%m-%d %H}" for a in got.administrations] == ["06-13 08", "07-10 08", "08-07 08"]
    reasons = sorted(s.reason for s in got.skipped)
    assert reasons[0].startswith("a return with no removal of Carboplatin")
    assert reasons[1].startswith("returned to the cabinet at 2023-07-11 10:00 (row 7)")
    assert any("matched no removal" in w for w in got.warnings)


def test_two_returns_cancel_two_removals_and_a_partial_one_keeps_what_remained(tmp_path):
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Remove"),
        _row("2023-06-13 08:10", "Remove"),
        _row("2023-06-13 10:00", "Return"),
        _row("2023-06-13 10:05", "Return"),  # the second return looks past the removal given back
        _row("2023-07-10 08:00", "Remove", qty=2, dose=900),
        _row("2023-07-10 09:00", "Retour", qty=1, dose=450),  # one vial of two: 450 mg given
        _row("2023-08-07 08:00", "Remove", qty=2, dose=450),
        _row("2023-08-07 09:00", "Return", qty=1, dose=450),  # a vial of two back, the dose as ordered
        _row("2023-08-07 09:30", "Waste", qty=1, dose=50),  # 50 mg of the vial kept thrown away: 400 mg given
    ])
    assert [(f"{a.time:%m-%d}", a.dose) for a in got.administrations] == [("07-10", 450.0), ("08-07", 400.0)]
    assert sum(s.reason.startswith("returned to the cabinet") for s in got.skipped) == 2
    assert any("2 partial return(s)" in w for w in got.warnings)


def test_a_return_after_a_dose_charted_given_cancels_nothing(tmp_path):
    """A MAR's "Given" then "Returned" (the rest of the vial sent back): the dose stays, and the
    return is shown as matching no removal."""
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Given"),
        _row("2023-06-13 10:00", "Returned"),
        _row("2023-07-10 08:00", "Given"),
    ])
    assert [f"{a.time:%m-%d}" for a in got.administrations] == ["06-13", "07-10"]
    assert [s.reason.split(" in ")[0] for s in got.skipped] == ["a return with no removal of Carboplatin"]


def test_removed_alone_is_the_dose_and_a_return_cancels_it(tmp_path):
    """Cabinet reports and diversion reconciliations write the transaction as "Removed": with no
    administration charted it is the log's evidence of a dose, and a whole return cancels it."""
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Removed"),
        _row("2023-07-04 08:00", "Removed"),
        _row("2023-07-04 10:00", "Returned"),
        _row("2023-07-25 08:00", "Removed"),
    ])
    assert [f"{a.time:%m-%d %H}" for a in got.administrations] == ["06-13 08", "07-25 08"]
    assert [s.reason.split(" at ")[0] for s in got.skipped] == ["returned to the cabinet"]


def test_a_removal_followed_by_its_charted_administration_is_one_dose_at_the_time_given(tmp_path):
    got = _read(tmp_path, [
        _row("2023-06-13 08:20", "Removed"),
        _row("2023-06-13 09:00", "Administered"),
        _row("2023-07-04 08:20", "Remove"),
        _row("2023-07-04 09:05", "Given"),
        _row("2023-07-25 08:20", "Removed"),  # no charting: the removal stands for the dose
    ])
    assert [f"{a.time:%m-%d %H:%M}" for a in got.administrations] == ["06-13 09:00", "07-04 09:05", "07-25 08:20"]
    assert any("of the same drug charted as given" in w for w in got.warnings)


def test_a_bag_removed_after_the_dose_given_stays_part_of_it(tmp_path):
    got = _read(tmp_path, [
        _row("2023-06-13 09:00", "Given"),
        _row("2023-06-13 13:00", "Bag removed", qty="", dose=""),
    ])
    assert [f"{a.time:%m-%d %H}" for a in got.administrations] == ["06-13 09"]


def test_a_count_of_vials_with_no_dose_is_that_many_vials_of_the_stated_amount(tmp_path):
    """A cabinet report with only "Qty": 8 vials of "10 GM/100 ML" are 80 g (h18's trial read
    "IVIG 8", no unit). "Menge" or "Cantidad" count vials in a dispensing log, and name an amount
    in a MAR; a unit column of pieces ("Stk") counts them too, of a vial whose volume and
    concentration are given apart."""
    vial = "IMMUNE GLOB (GAMMAGARD LIQ) 10 GM/100 ML VIAL"

    def read(heading, action="Remove", med=vial, unit=None):
        path = tmp_path / f"{heading}-{action}.csv"
        head = ["Transaction Date", "Med Description", "Transaction Type", heading] + (["Unit"] if unit else [])
        rows = [[when, med, action, 8] + ([unit] if unit else []) for when in ("2023-06-13 08:00", "2023-07-04 08:00")]
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([head, *rows])
        return [(a.dose, a.dose_unit) for a in read_administrations(path).administrations]

    assert read("Qty") == [(80.0, "g"), (80.0, "g")]
    assert read("Cantidad", "Retirado") == [(80.0, "g"), (80.0, "g")]
    assert read("Menge", "verabreicht") == [(8.0, ""), (8.0, "")]  # a MAR's amount, unit unknown
    assert read("Menge", "Entnommen", "Privigen 100 mg/ml 200 ml Durchstechflasche", "Stk") == [(160.0, "g")] * 2


def test_a_patch_removed_after_it_was_applied_is_no_second_dose(tmp_path):
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Applied"),
        _row("2023-06-13 18:00", "Removed", qty="", dose=""),
        _row("2023-07-04 08:00", "Applied"),
    ])
    assert [f"{a.time:%m-%d %H}" for a in got.administrations] == ["06-13 08", "07-04 08"]


def test_a_whole_vial_wasted_cancels_its_removal_and_a_partial_waste_lowers_the_dose(tmp_path):
    """A cabinet's waste is the amount removed and thrown away, not given (Pyxis "Waste", Omnicell
    "Wasted", in any of the languages): all of it cancels the removal, as a return does; part of it
    lowers the dose; the rest of a larger vial thrown away keeps the stated dose."""
    got = _read(tmp_path, [
        _row("2023-06-13 08:00", "Remove"),
        _row("2023-06-13 09:00", "Wasted"),  # the whole vial (1 of 1, 450 mg): not given
        _row("2023-07-10 08:00", "Remove", RTX, dose=500),  # another drug's waste changes nothing here
        _row("2023-07-10 08:05", "Remove"),
        _row("2023-07-10 08:30", "Verworfen", qty=1, dose=50),  # 50 mg of 450: 400 mg given
        _row("2023-08-07 08:00", "Remove", "carboplatin 600 mg/60 mL vial", dose=450),
        _row("2023-08-07 09:00", "Waste", "carboplatin 600 mg/60 mL vial", dose=150),  # the vial's rest: 450
        _row("2023-09-04 08:00", "Remove", qty=2, dose=900),
        _row("2023-09-04 08:20", "Jeté", qty=2, dose=""),  # both vials, a count only: not given
        _row("2023-10-02 08:00", "Remove"),
        _row("2023-10-02 08:15", "Desechado", qty="", dose=""),  # no amount, no count: kept, with a warning
    ])
    assert [(f"{a.time:%m-%d}", a.dose) for a in got.administrations] == [
        ("07-10", 400.0), ("08-07", 450.0), ("10-02", 450.0)]
    assert sorted(s.reason.split(" at ")[0] for s in got.skipped) == ["wasted whole", "wasted whole"]
    assert any("1 waste(s) of part of what was removed lowered the dose" in w for w in got.warnings)
    assert any("1 waste row(s) state no amount" in w for w in got.warnings)


def test_a_waste_after_a_dose_charted_given_changes_nothing(tmp_path):
    got = _read(tmp_path, [_row("2023-06-13 08:00", "Given"), _row("2023-06-13 09:00", "Wasted")])
    assert [a.dose for a in got.administrations] == [450.0] and not got.skipped
