"""Every treatment record and events table in tests/data/treatment and tests/data/events (written
by tests/data/make_treatment_layouts.py in the layouts of other systems) gives what it holds."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from analysis.treatment.courses import course_label, group_courses
from analysis.treatment.events import read_events
from analysis.treatment.medications import read_administrations

DATA = Path(__file__).resolve().parents[1] / "data"
TREATMENT = json.loads((DATA / "treatment" / "expected.json").read_text(encoding="utf-8"))
EVENTS = json.loads((DATA / "events" / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_enough():
    assert len(TREATMENT) >= 25 and len(EVENTS) >= 10


@pytest.mark.parametrize("name", sorted(TREATMENT))
def test_treatment_record(name):
    want = TREATMENT[name]
    got = read_administrations(DATA / "treatment" / name, **want.get("options", {}))
    assert got.product == want["product"]
    assert [[a.time.isoformat(timespec="minutes"), a.product, a.dose, a.dose_unit] for a in got.administrations] \
        == want["administrations"]
    assert len(got.skipped) == want["skipped"], [s.reason for s in got.skipped]
    if "labels" in want:
        assert [course_label(c) for c in group_courses(got.administrations)] == want["labels"]


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_events_table(name):
    want = EVENTS[name]
    got = read_events(DATA / "events" / name, **want.get("options", {}))
    assert [[e.kind, e.start.isoformat(timespec="minutes"), e.end.isoformat(timespec="minutes") if e.end else None]
            for e in got] == want["events"]


def test_rituximab_and_cyclophosphamide_are_named_and_dosed():
    """The two records a new user found misnamed ("Saline 0.01 g/kg") and misdosed ("0.01 g/kg")."""
    cyc = read_administrations(DATA / "treatment" / "cerner_mar.csv")
    assert cyc.product == "Cyclophosphamide"
    assert course_label(group_courses(cyc.administrations)[0]) == "Cyclophosphamide 1200 mg"
    forced = read_administrations(DATA / "treatment" / "cerner_mar.csv", product="cyclophosphamide")
    assert course_label(group_courses(forced.administrations)[0]) == "Cyclophosphamide 1200 mg"
    rtx = read_administrations(DATA / "treatment" / "vista_bcma.csv")
    assert course_label(group_courses(rtx.administrations)[0]) == "Rituximab 700 mg"
    assert rtx.administrations[0].time == datetime(2023, 1, 10, 10, 0)


def test_daily_drug_is_described_as_treatment_periods():
    m = read_administrations(DATA / "treatment" / "daily_oral.csv")
    assert any("given daily" in n and "2 treatment periods" in n for n in m.notes)


@pytest.mark.parametrize("days", [2, 5])
def test_a_course_over_a_few_days_every_four_weeks_is_no_daily_drug(tmp_path, days):
    """IVIG 1 g/kg over 2 days (or 0.4 g/kg daily x 5) every 28 days: half or more of the gaps
    between doses are a day, but the doses form infusion cycles, not treatment periods."""
    path = tmp_path / "ivig.csv"
    rows = ["Date,Time,Medication,Dose,Unit,Action"]
    for cycle in range(6):
        for day in range(days):
            when = date(2023, 1, 9) + timedelta(days=28 * cycle + day)
            rows.append(f"{when.isoformat()},09:30,Privigen (immune globulin) 10%,35,g,Given")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    m = read_administrations(path)
    assert len(group_courses(m.administrations)) == 6
    assert not any("given daily" in n for n in m.notes), m.notes


def test_numeric_action_codes_are_listed_for_the_user_never_taken_as_the_dose():
    """Epic's MAR_ACTION_C without its names: the codes are the action column, unknown, and the
    refusal lists them with the option that says what they mean."""
    from analysis.errors import InputError

    with pytest.raises(InputError) as refused:
        read_administrations(DATA / "treatment" / "clarity_numeric_action.csv")
    text = str(refused.value)
    assert "'MAR_ACTION_C'" in text and "'6' (6 rows)" in text and "'5' (1 row)" in text
    assert "--infusion-action" in text
