"""The event dialog's defaults: a start in the visible range (or at the last draw), and a
"lasted until" that follows the start and is never before it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate


def _capture_event_dialog(monkeypatch):
    from desktop.panels import events

    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        return 0  # cancelled: nothing pushed

    monkeypatch.setattr(events.EventDialog, "exec", fake_exec)
    return seen


def test_add_event_starts_in_the_visible_range_and_until_follows(window, monkeypatch):
    seen = _capture_event_dialog(monkeypatch)
    chart = window.chart
    chart.plot.setXRange(40, 50, padding=0)
    window.add_event_action.trigger()
    dialog, = seen
    assert dialog.start.date().toPython() == (chart.origin + timedelta(days=45)).date()
    assert dialog.end.date() == dialog.start.date()
    # "lasted until" follows the start and is never before it
    dialog.start.setDate(QDate(2022, 11, 1))
    assert dialog.end.date().toPython() == date(2022, 11, 1)
    dialog.has_end.setChecked(True)
    dialog.end.setDate(QDate(2022, 11, 5))
    dialog.start.setDate(QDate(2022, 11, 3))
    assert dialog.end.date().toPython() == date(2022, 11, 5)  # a chosen end stays when still after
    dialog.start.setDate(QDate(2022, 11, 9))
    assert dialog.end.date().toPython() == date(2022, 11, 9)
    dialog.end.setDate(QDate(2022, 11, 2))
    assert dialog.end.date().toPython() == date(2022, 11, 9)  # not before the start
    assert dialog.event_value().start.year == 2022


def test_add_event_without_a_chart_starts_at_the_last_draw(window, monkeypatch):
    seen = _capture_event_dialog(monkeypatch)
    window.events.default_day = None
    window.events.add_event()
    last = window.doc.case.anc["time"].max()
    assert seen[0].start.date().toPython() == last.date()


def test_the_events_assistant_offers_the_duration_column():
    """A start and a duration ("3 days") give an event's end (analysis.treatment.events): the
    assistant lets the user say which column holds the duration, as for the other roles."""
    from analysis.treatment.events import EVENT_ROLES
    from desktop.dialogs.events_dialog import ROLE_LABELS

    assert {role for role, _label in ROLE_LABELS} == set(EVENT_ROLES)
