"""A block pasted from a spreadsheet into the manual infusion entry, read as the file readers
read a column: the block decides day/month order, a heading line is left out, nothing guessed."""

from __future__ import annotations

from datetime import datetime

from analysis.treatment.pasted import BOTH_WAYS, parse_dose, parse_pasted_block


def test_a_block_with_a_heading_times_doses_and_units():
    block = parse_pasted_block("Date\tTime\tDose\tUnit\n"
                               "2022-09-06\t09:30\t1\tg/kg\n"
                               "27 Sep 2022\t10.15\t0,4\n"
                               "2022-10-18 08:00:00\t60\tg\n"
                               "\n"
                               "2022-11-08\t\t\t\n")
    assert block.rows == ((datetime(2022, 9, 6, 9, 30), 1.0, "g/kg"), (datetime(2022, 9, 27, 10, 15), 0.4, "g/kg"),
                          (datetime(2022, 10, 18, 8, 0), 60.0, "g"), (datetime(2022, 11, 8, 9, 0), None, "g/kg"))
    assert block.unread == ("Date\tTime\tDose\tUnit",) and block.reason == ""


def test_the_block_decides_the_order_of_day_and_month():
    day_first = parse_pasted_block("06/09/2022\t1\n13/09/2022\t0,8\n")
    assert [r[0] for r in day_first.rows] == [datetime(2022, 9, 6, 9, 0), datetime(2022, 9, 13, 9, 0)]
    month_first = parse_pasted_block("09/06/2022 9:30 AM\t1\n09/13/2022\t0,8\n")
    assert [r[0] for r in month_first.rows] == [datetime(2022, 9, 6, 9, 30), datetime(2022, 9, 13, 9, 0)]
    both = parse_pasted_block("06/09/2022\t09:00\t1\n07/09/2022\t1\n")
    assert both.rows == () and len(both.unread) == 2 and both.reason == BOTH_WAYS


def test_a_dose_that_is_no_dose_leaves_its_line_unread():
    block = parse_pasted_block("2022-09-06\tabc\n2022-09-27\t2 tablets\n2022-10-18\t400 mg/kg\n")
    assert block.rows == ((datetime(2022, 10, 18, 9, 0), 400.0, "mg/kg"),)
    assert len(block.unread) == 2
    assert parse_dose("0,4") == (0.4, "") and parse_dose("1 ml") is None
