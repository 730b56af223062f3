"""The user's own wording and places for the figure's labels: one home for both renderers.

Every label a user may want to reword, move or hide (the notes at panel B's points, event
labels, cycle numbers, the course labels, the severity names, the statistics block) gets a
stable id here, and :func:`apply_labels` applies the :class:`LabelOverride` records of the
figure settings to the spec. The screen chart and the publication renderer draw that spec, so
an edited label reads and sits the same on screen and in the file.

An id says what a label stands for, not where it is: ``"B:cycle1:nadir"`` is the nadir note of
cycle 1 in panel B (it does not follow panel B to another cycle), ``"A:cycle:C3"`` the number
of cycle 3, ``"A:event:COVID-19 infection"`` an event's label. Offsets are millimetres at the
printed size (x right, y up), added to the place the layout chose.

A reworded label keeps the text it replaced (``original``): when the case changes so that the
label would now say something else (a corrected value moves the nadir), the user's wording is
set aside and the figure's notes say so, rather than printing a number the data no longer give.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from analysis.figure.items import FigureSpec, Panel, Text
from analysis.figure.placement import PT_MM

# The text kinds a user may edit; panel letters follow the journal's style and gap marks the
# record, so they stay as the layout sets them.
EDITABLE = ("annotation", "event", "cycle", "infusion", "severity", "reference", "stats")
MAX_LABELS = 500  # overrides a project keeps (a long record has ~170 cycle numbers)
MAX_OFFSET_MM = 500.0


@dataclass(frozen=True)
class LabelOverride:
    """What the user changed about one label: its text, its place, whether it is shown."""

    id: str
    text: str = ""  # "" keeps the figure's text
    original: str = ""  # the figure's text when the user reworded it
    dx_mm: float = 0.0
    dy_mm: float = 0.0
    hidden: bool = False

    def is_empty(self) -> bool:
        return not (self.text or self.dx_mm or self.dy_mm or self.hidden)

    @classmethod
    def from_dict(cls, data: dict) -> LabelOverride:
        return cls(id=str(data["id"]), text=str(data.get("text", "")), original=str(data.get("original", "")),
                   dx_mm=float(data.get("dx_mm", 0.0)), dy_mm=float(data.get("dy_mm", 0.0)),
                   hidden=bool(data.get("hidden", False)))


def label_id(letter: str, t: Text) -> str:
    """The stable id of text ``t`` in panel ``letter`` ("" for texts a user cannot edit)."""
    if t.id:
        return t.id
    if t.kind not in EDITABLE:
        return ""
    if t.kind == "stats":
        return "stats"
    if t.kind == "infusion":  # one course label per panel side: the course's day on its axis
        return f"{letter}:infusion:{t.x:g}"
    return f"{letter}:{t.kind}:{t.text}"


def with_ids(spec: FigureSpec) -> FigureSpec:
    """``spec`` with an id on every editable text (a repeated label gets "#2", "#3" ...)."""
    seen: dict[str, int] = {}

    def named(letter: str, texts) -> tuple[Text, ...]:
        out = []
        for t in texts:
            key = label_id(letter, t)
            if key and key != "stats":
                seen[key] = seen.get(key, 0) + 1
                if seen[key] > 1:
                    key = f"{key}#{seen[key]}"
            out.append(replace(t, id=key) if key != t.id else t)
        return tuple(out)

    panels = tuple(replace(p, texts=named(p.letter, p.texts)) for p in spec.panels)
    return replace(spec, panels=panels, texts=named("", spec.texts))


def apply_labels(spec: FigureSpec, overrides) -> FigureSpec:
    """``spec`` with ids on its labels and the user's ``overrides`` applied to them."""
    spec = with_ids(spec)
    by_id = {o.id: o for o in overrides or () if not o.is_empty()}
    if not by_id:
        return spec
    notes: list[str] = []
    panels = tuple(_panel(p, by_id, notes) for p in spec.panels)
    texts = _stats(spec.texts, by_id.get("stats"), notes)
    return replace(spec, panels=panels, texts=texts, notes=(*spec.notes, *notes))


def _panel(panel: Panel, by_id: dict, notes: list) -> Panel:
    texts = []
    for t in panel.texts:
        o = by_id.get(t.id)
        if o is None:
            texts.append(t)
        elif not o.hidden:
            texts.append(_applied(t, o, notes))
    return replace(panel, texts=tuple(texts))


def _applied(t: Text, o: LabelOverride, notes: list) -> Text:
    text = t.text
    if o.text:
        if o.original and o.original != t.text:
            notes.append(f"The label you reworded as “{o.text}” now reads “{t.text}” (it read "
                         f"“{o.original}” when you changed it): the figure shows the new wording; "
                         "edit the label again to reword it.")
        else:
            text = o.text
    return replace(t, text=text, dx_pt=t.dx_pt + o.dx_mm / PT_MM, dy_pt=t.dy_pt + o.dy_mm / PT_MM)


def _stats(texts, o: LabelOverride | None, notes: list) -> tuple[Text, ...]:
    """The statistics block moves, hides and is reworded as one: its lines stay a block."""
    lines = [t for t in texts if t.kind == "stats"]
    if o is None or not lines:
        return tuple(texts)
    others = [t for t in texts if t.kind != "stats"]
    if o.hidden:
        return tuple(others)
    first = lines[0]
    step = lines[1].y - first.y if len(lines) > 1 else first.size_pt * 1.3 * PT_MM
    wording = [line.text for line in lines]
    current = "\n".join(wording)
    if o.text and o.original and o.original != current:
        notes.append("The statistics changed since you reworded them: the figure shows the new "
                     "numbers; edit the block again to reword it.")
    elif o.text:
        wording = o.text.splitlines()
    # Figure-level text is placed in mm from the top-left: y grows downwards there.
    moved = [replace(first, text=w, x=first.x + o.dx_mm, y=first.y - o.dy_mm + i * step)
             for i, w in enumerate(wording)]
    return (*others, *moved)


def stats_text(spec: FigureSpec) -> str:
    """The statistics block's wording, one line a row (what the edit box shows)."""
    return "\n".join(t.text for t in spec.texts if t.kind == "stats")


def find_text(spec: FigureSpec, key: str) -> Text | None:
    """The text with id ``key`` in ``spec`` (the first line for the statistics block)."""
    for p in spec.panels:
        for t in p.texts:
            if t.id == key:
                return t
    return next((t for t in spec.texts if t.id == key), None)


def updated(overrides, override: LabelOverride) -> tuple[LabelOverride, ...]:
    """``overrides`` with ``override`` in place of the one with its id (dropped when empty)."""
    rest = tuple(o for o in overrides if o.id != override.id)
    return rest if override.is_empty() else (*rest, override)
