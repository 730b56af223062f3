"""Label overrides: reworded, moved and hidden labels in the spec, the printed figure, the
session's undo and the project file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.figure.labels import LabelOverride
from analysis.figure.placement import PT_MM
from analysis.figure.spec import FigureSettings, build_figure
from analysis.session import CaseSession, EditLabel, MoveLabel, ResetLabel, SetFigureSettings, ShowHiddenLabels

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"
NADIR = "B:cycle1:nadir"


def _text(spec, key):
    return next((t for p in spec.panels for t in p.texts if t.id == key), None)


def _printed(spec):
    """Every text artist of the matplotlib figure drawn for ``spec``, by its text."""
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figure.render import build_matplotlib

    fig = build_matplotlib(spec)
    found = {}
    for artist in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text()):
        found.setdefault(artist.get_text(), artist)
    return found


def test_every_editable_label_has_a_stable_id(case):
    spec = build_figure(case, FigureSettings(panel_b="cycle:1"))
    ids = [t.id for p in spec.panels for t in p.texts if t.id]
    assert len(ids) == len(set(ids))
    assert {NADIR, "B:cycle1:pre", "A:cycle:C1", "A:severity:Severe"} <= set(ids)
    assert any(i.startswith("A:event:") for i in ids)
    assert all(t.id == "stats" for t in spec.texts if t.kind == "stats")
    assert not any(t.id for p in spec.panels for t in p.texts if t.kind == "letter")
    # The same case gives the same ids (an edit made today applies tomorrow).
    assert ids == [t.id for p in build_figure(case, FigureSettings(panel_b="cycle:1")).panels
                   for t in p.texts if t.id]


def test_a_reworded_moved_label_is_printed_so(case):
    plain = build_figure(case, FigureSettings(panel_b="cycle:1"))
    before = _text(plain, NADIR)
    override = LabelOverride(NADIR, text="Lowest count", original=before.text, dx_mm=2.0, dy_mm=-1.0)
    spec = build_figure(case, FigureSettings(panel_b="cycle:1", labels=(override,)))
    after = _text(spec, NADIR)
    assert after.text == "Lowest count"
    assert (after.x, after.y) == (before.x, before.y)  # still points at its draw
    assert after.dx_pt == pytest.approx(before.dx_pt + 2.0 / PT_MM)
    assert after.dy_pt == pytest.approx(before.dy_pt - 1.0 / PT_MM)
    printed = _printed(spec)
    assert before.text not in printed
    offset = printed["Lowest count"].xyann  # the annotation's offset in points
    assert offset == pytest.approx((after.dx_pt, after.dy_pt))


def test_hidden_labels_are_not_printed(case):
    hide = (LabelOverride("A:cycle:C2", hidden=True), LabelOverride("stats", hidden=True))
    spec = build_figure(case, FigureSettings(panel_b="cycle:1", labels=hide))
    printed = _printed(spec)
    assert "C2" not in printed and "C1" in printed
    assert not [t for t in spec.texts if t.kind == "stats"]
    assert not any(text.startswith("Median (range)") for text in printed)


def test_the_statistics_block_moves_and_is_reworded_as_one(case):
    plain = build_figure(case, FigureSettings(panel_b="cycle:1"))
    lines = [t for t in plain.texts if t.kind == "stats"]
    wording = "\n".join(t.text for t in lines)
    moved = build_figure(case, FigureSettings(panel_b="cycle:1", labels=(
        LabelOverride("stats", text="Summary\nn = 5", original=wording, dx_mm=3.0, dy_mm=4.0),)))
    new = [t for t in moved.texts if t.kind == "stats"]
    assert [t.text for t in new] == ["Summary", "n = 5"]
    assert new[0].x == pytest.approx(lines[0].x + 3.0)
    assert new[0].y == pytest.approx(lines[0].y - 4.0)  # mm from the top: up is smaller


def test_a_label_dragged_far_stays_within_the_offsets_a_project_keeps(case):
    from analysis.figure.labels import MAX_OFFSET_MM
    from analysis.project.schema import LabelModel

    session = CaseSession(case)
    for _ in range(3):  # three long drags of the statistics block to the right and down
        session.stack.push(MoveLabel("stats", 300.0, -300.0))
    o = next(o for o in session.settings.labels if o.id == "stats")
    assert (o.dx_mm, o.dy_mm) == (MAX_OFFSET_MM, -MAX_OFFSET_MM)
    LabelModel(id=o.id, dx_mm=o.dx_mm, dy_mm=o.dy_mm)  # the project's schema takes it
    session.stack.undo()
    o = next(o for o in session.settings.labels if o.id == "stats")
    assert (o.dx_mm, o.dy_mm) == (MAX_OFFSET_MM, -MAX_OFFSET_MM)  # 600 mm, still clamped
    session.stack.undo()
    assert [(o.dx_mm, o.dy_mm) for o in session.settings.labels] == [(300.0, -300.0)]


def test_a_wording_the_data_no_longer_give_is_set_aside_with_a_note(case):
    stale = LabelOverride(NADIR, text="Nadir 0.1 (day 9)", original="Nadir 0.1 (day 9)x")
    spec = build_figure(case, FigureSettings(panel_b="cycle:1", labels=(stale,)))
    assert _text(spec, NADIR).text.startswith("Nadir ")
    assert _text(spec, NADIR).text != "Nadir 0.1 (day 9)"
    assert any("reworded" in n for n in spec.notes)


def test_label_edits_are_commands_with_undo(case):
    session = CaseSession(case)
    session.stack.push(SetFigureSettings(panel_b="cycle:1"))
    original = _text(session.spec(), NADIR).text
    session.stack.push(EditLabel(NADIR, "Lowest", original))
    session.stack.push(MoveLabel(NADIR, 1.5, 2.0))
    session.stack.push(EditLabel("A:cycle:C3", "C3", "C3", hidden=True))
    assert _text(session.spec(), NADIR).text == "Lowest"
    assert _text(session.spec(), "A:cycle:C3") is None
    session.stack.push(ShowHiddenLabels())
    assert _text(session.spec(), "A:cycle:C3") is not None
    session.stack.push(ResetLabel(NADIR))
    assert _text(session.spec(), NADIR).text == original
    for _ in range(3):
        session.stack.undo()
    o = next(o for o in session.settings.labels if o.id == NADIR)
    assert (o.text, o.original, o.dx_mm, o.dy_mm) == ("Lowest", original, 1.5, 2.0)
    session.stack.undo()
    session.stack.undo()
    assert session.settings.labels == ()
    session.stack.undo()
    # Typing the figure's own wording back is no override.
    session.stack.push(EditLabel(NADIR, original, original))
    assert session.settings.labels == ()


def test_label_edits_are_kept_in_the_project(case, tmp_path):
    from analysis.case import load_case
    from analysis.project.store import open_project, save_project

    sources = {}
    for role, name in (("labs", "labs.xlsx"), ("infusions", "infusions.xlsx"), ("events", "events.csv")):
        sources[role] = tmp_path / name
        shutil.copy(DATA / name, sources[role])
    loaded = load_case(sources["labs"], sources["infusions"], sources["events"], window=case.window)
    labels = (LabelOverride(NADIR, text="Lowest", original="Nadir 0.3 (day 8)", dx_mm=1.25, dy_mm=-2.0),
              LabelOverride("A:cycle:C2", hidden=True), LabelOverride("stats", dy_mm=3.0))
    settings = FigureSettings(panel_b="cycle:1", labels=labels)
    path = tmp_path / "case.nadir"
    save_project(path, loaded, settings, sources=sources)
    opened = open_project(path)
    assert opened.settings.labels == labels
    assert build_figure(opened.case, opened.settings) == build_figure(loaded, settings)


def test_a_hand_edited_label_offset_is_refused_by_name(case, tmp_path):
    from analysis.project.store import open_project, save_project

    sources = {}
    for role, name in (("labs", "labs.xlsx"), ("infusions", "infusions.xlsx"), ("events", "events.csv")):
        sources[role] = tmp_path / name
        shutil.copy(DATA / name, sources[role])
    from analysis.case import load_case

    loaded = load_case(sources["labs"], sources["infusions"], sources["events"], window=case.window)
    path = tmp_path / "case.nadir"
    save_project(path, loaded, FigureSettings(labels=(LabelOverride(NADIR, dx_mm=1.0),)), sources=sources)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["figure"]["labels"][0]["dx_mm"] = 1e9
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as error:
        open_project(path)
    assert "figure.labels.0.dx_mm" in str(error.value)
