"""Edits of the figure's labels on the chart: reword, move, hide, reset (one undo step each).

A label edit is a change of the figure settings' ``labels`` (analysis.figure.labels), so it is
kept in the project and drawn alike on screen and in the exported file.
"""

from __future__ import annotations

from dataclasses import replace

from analysis.figure.labels import MAX_OFFSET_MM, LabelOverride, updated
from analysis.session.commands import FieldCommand


def _current(settings, label_id: str) -> LabelOverride:
    return next((o for o in settings.labels if o.id == label_id), LabelOverride(label_id))


class EditLabel(FieldCommand):
    """Reword label ``label_id`` (``text``; "" gives the figure's own text back) and show or
    hide it. ``original`` is the figure's text it replaces."""

    field = "settings"

    def __init__(self, label_id: str, text: str, original: str, hidden: bool = False):
        super().__init__()
        self.label_id, self.hidden = label_id, hidden
        self.text = "Hide label" if hidden else "Edit label"
        self.wording = "" if text.strip() == original.strip() else text.strip()
        self.original = original if self.wording else ""

    def change(self, old):
        o = replace(_current(old, self.label_id), text=self.wording, original=self.original,
                    hidden=self.hidden)
        return replace(old, labels=updated(old.labels, o))


class MoveLabel(FieldCommand):
    """Move label ``label_id`` by (``dx_mm``, ``dy_mm``) at the printed size (y up)."""

    field = "settings"
    text = "Move label"

    def __init__(self, label_id: str, dx_mm: float, dy_mm: float):
        super().__init__()
        self.label_id, self.dx_mm, self.dy_mm = label_id, float(dx_mm), float(dy_mm)

    def change(self, old):
        o = _current(old, self.label_id)
        # Within the offsets a project keeps, however far the label was dragged.
        dx, dy = (max(-MAX_OFFSET_MM, min(MAX_OFFSET_MM, round(a + b, 2)))
                  for a, b in ((o.dx_mm, self.dx_mm), (o.dy_mm, self.dy_mm)))
        o = replace(o, dx_mm=dx, dy_mm=dy)
        return replace(old, labels=updated(old.labels, o))


class ResetLabel(FieldCommand):
    """Give label ``label_id`` the figure's own text and place back (and show it)."""

    field = "settings"
    text = "Reset label"

    def __init__(self, label_id: str):
        super().__init__()
        self.label_id = label_id

    def change(self, old):
        return replace(old, labels=tuple(o for o in old.labels if o.id != self.label_id))


class ShowHiddenLabels(FieldCommand):
    """Show every label the user hid again (their wording and places stay)."""

    field = "settings"
    text = "Show hidden labels"

    def change(self, old):
        shown = [replace(o, hidden=False) for o in old.labels]
        return replace(old, labels=tuple(o for o in shown if not o.is_empty()))
