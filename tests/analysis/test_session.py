"""The Qt-free session: every edit as a command with undo, a script of edits replayed headless."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from analysis.model import Event
from analysis.rules.exclusions import Exclusion
from analysis.session import (
    AddEvent,
    AddInfusion,
    CaseSession,
    EditEvent,
    EditInfusion,
    Exclude,
    MoveEvent,
    MoveInfusion,
    RemoveEvent,
    RemoveInfusion,
    SetFigureSettings,
    SetPanelBCycle,
    SetRules,
    SetWindow,
    replay,
)


@pytest.fixture()
def session(case):
    return CaseSession(case)


def _anc_key(case, k):
    row = case.anc.iloc[k]
    return str(row["file"]), int(row["row"]), str(row["column"])


def _script(case):
    """One of each edit, as a user might make them in the window."""
    first = case.administrations[0]
    file, row, column = _anc_key(case, 3)
    fever = Event("fever", "Fever", datetime(2022, 9, 20))
    return [
        AddEvent(fever),
        AddEvent(Event("infection", "Pneumonia", datetime(2022, 11, 15))),
        EditEvent(0, Event("gcsf", "Filgrastim", datetime(2022, 9, 21))),
        MoveEvent(0, timedelta(days=1)),
        MoveEvent(0, timedelta(days=1)),  # the same drag: merges with the one before
        RemoveEvent(len(case.events) + 1),
        Exclude(Exclusion(file, row, column, "clotted sample")),
        MoveInfusion(0, first.time + timedelta(hours=2)),
        AddInfusion(first.__class__(**{**first.__dict__, "time": first.time + timedelta(days=400)})),
        EditInfusion(0, first.__class__(**{**first.__dict__, "dose": 35.0})),
        RemoveInfusion(len(case.administrations)),
        SetWindow((date(2022, 1, 1), None)),
        SetWindow((date(2022, 2, 1), None)),  # dragging the window: one step
        SetRules(post_window_hours=72),
        SetFigureSettings(axis="dates"),
        SetPanelBCycle(2),
    ]


def test_every_edit_undoes_to_the_exact_previous_case(session, case):
    stack = session.stack
    states = [(session.case, session.settings)]
    for command in _script(case):
        before = len(stack)
        stack.push(command)
        if len(stack) > before:
            states.append((session.case, session.settings))
        else:
            states[-1] = (session.case, session.settings)
    assert len(stack) == len(states) - 1 == len(_script(case)) - 2  # two merges
    for expected in reversed(states[:-1]):
        assert stack.undo()
        for field in ("events", "administrations", "exclusions", "window", "rules"):
            assert getattr(session.case, field) == getattr(expected[0], field), field
        assert session.settings == expected[1]
    assert not stack.undo()
    assert session.case.cycles == case.cycles and session.case.summary == case.summary
    while stack.redo():
        pass
    assert session.case.events == states[-1][0].events and session.settings == states[-1][1]


def test_a_script_replayed_headless_gives_the_case_of_the_edits(case):
    edited = replay(CaseSession(case), _script(case))
    again = replay(CaseSession(case), _script(case))
    assert edited.events == again.events and edited.summary == again.summary
    assert [e.label for e in edited.events] == ["Filgrastim", *[e.label for e in case.events]]
    assert edited.events[0].start == datetime(2022, 9, 23)
    assert len(edited.anc) == len(case.anc) - 1 and edited.exclusions[0].reason == "clotted sample"
    assert edited.administrations[0].dose == 35.0
    assert len(edited.administrations) == len(case.administrations)
    assert edited.window == (date(2022, 2, 1), None)
    assert edited.rules.post_window_hours == 72
    # Equal to the case built directly, field by field: the commands add nothing of their own.
    direct = (case.with_events(edited.events).with_administrations(edited.administrations)
              .with_exclusions(edited.exclusions).with_window(*edited.window).with_rules(edited.rules))
    assert direct.cycles == edited.cycles and direct.summary == edited.summary


def test_subscribers_hear_only_the_fields_they_show(session, case):
    heard = {"events": [], "exclusions": [], "settings": []}
    for field in heard:
        session.subscribe({field}, lambda changed, f=field: heard[f].append(changed))
    session.stack.push(AddEvent(Event("fever", "Fever", datetime(2022, 9, 20))))
    session.stack.push(SetFigureSettings(axis="dates"))
    session.stack.undo()
    assert heard == {"events": [{"events"}], "exclusions": [], "settings": [{"settings"}, {"settings"}]}
    session.load(case)  # a new case: everyone redraws
    assert all(len(v) for v in heard.values()) and heard["exclusions"] == [{"case"}]
    with pytest.raises(KeyError):
        session.subscribe({"colour"}, print)


def test_every_edit_reaches_the_edit_listeners(session):
    seen = []
    session.on_edit(lambda command, undone: seen.append((command.text, undone)))
    session.stack.push(AddEvent(Event("fever", "Fever", datetime(2022, 9, 20))))
    session.stack.undo()
    session.stack.redo()
    assert seen == [("Add fever “Fever”", False), ("Add fever “Fever”", True), ("Add fever “Fever”", False)]


def test_clean_state_follows_save_undo_and_redo(session):
    stack = session.stack
    assert stack.clean and not stack.modified
    stack.push(SetWindow((date(2022, 1, 1), None)))
    assert stack.modified
    stack.set_clean()
    stack.push(SetWindow((date(2022, 2, 1), None)))  # never merged across the saved state
    assert len(stack) == 2 and stack.modified
    stack.undo()
    assert stack.clean and session.case.window == (date(2022, 1, 1), None)
    stack.undo()
    stack.push(SetWindow((date(2022, 3, 1), None)))  # the saved state is out of reach now
    assert stack.modified and not stack.can_redo()
    assert stack.undo_text() == "Change analysis window"


def test_moves_of_different_events_are_separate_steps(session, case):
    session.stack.push(AddEvent(Event("fever", "Fever", datetime(2022, 9, 20))))
    session.stack.push(MoveEvent(0, timedelta(days=1)))
    session.stack.push(MoveEvent(1, timedelta(days=1)))
    assert len(session.stack) == 3


def test_bad_edits_say_what_is_wrong(session):
    with pytest.raises(IndexError, match="no event 5"):
        session.stack.push(RemoveEvent(4))  # the case has one event
    with pytest.raises(ValueError, match="reason"):
        Exclude(Exclusion("labs.xlsx", 3))
    with pytest.raises(ValueError, match="panel B"):
        SetPanelBCycle("sideways")
    assert len(session.stack) == 0


def test_effective_window_is_the_users_or_the_cycles(case):
    lo, hi = case.with_window(None, None).effective_window()
    cycles = case.with_window(None, None).cycles
    assert (lo, hi) == (cycles[0].start.date(), cycles[-1].start.date())
    assert case.with_window(date(2022, 1, 1), None).effective_window()[0] == date(2022, 1, 1)
    no_infusions = case.with_administrations(()).with_window(None, None)
    assert no_infusions.effective_window() == (no_infusions.anc["time"].min().date(),
                                                no_infusions.anc["time"].max().date())


def test_infusions_replaced_outside_the_window_move_the_window_with_them(case):
    """Infusions typed by hand (or another record) whose courses all lie outside the analysis
    window: the window follows them, in the same undoable step, instead of leaving 0 cycles."""
    from analysis.model import Administration
    from analysis.session.commands import SetInfusions

    session = CaseSession(case.with_window(date(2022, 9, 1), date(2022, 12, 31)))
    kept = session.case.window
    assert session.case.cycles
    start = datetime(2013, 4, 10, 9)  # years before the window, beside two of the patient's draws
    typed = tuple(Administration(start + timedelta(days=21 * k), "IVIG", 1.0, "g/kg")
                  for k in range(4))
    by_hand = SetInfusions(typed, None, "Change the infusions (4 entered by hand)")
    session.run(by_hand)
    assert session.case.window != kept
    assert [c.start for c in session.case.cycles] == [a.time for a in typed]
    session.revert(by_hand)
    assert session.case.window == kept
    assert len(session.case.administrations) == len(case.administrations)

    # new infusions inside the user's window leave it alone
    inside = tuple(Administration(datetime(2022, 9, 6, 9) + timedelta(days=21 * k), "IVIG", 1.0, "g/kg")
                   for k in range(3))
    session.run(SetInfusions(inside, None))
    assert session.case.window == kept
