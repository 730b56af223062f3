"""Damaged or tampered project files: one plain sentence naming the project and the field.

The hypothesis test mutates a valid project (wrong types, nulls, nesting, huge numbers, missing
keys, deep nesting) and requires that every result either opens or raises InputError, quickly.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.project import store as project
from analysis.case import load_case

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """A format-2 project of the reference case with its sources beside it."""
    folder = tmp_path_factory.mktemp("project")
    for name in ("labs.xlsx", "infusions.xlsx", "events.csv"):
        shutil.copy(DATA / name, folder / name)
    case = load_case(folder / "labs.xlsx", folder / "infusions.xlsx", folder / "events.csv")
    path = folder / "case.nadir"
    project.save_project(path, case, sources={r: folder / n for r, n in (
        ("labs", "labs.xlsx"), ("infusions", "infusions.xlsx"), ("events", "events.csv"))})
    return path, json.loads(path.read_text())


def _write(folder: Path, data, name="tampered.nadir") -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _message(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        project.open_project(path)
    text = str(caught.value)
    assert text.startswith(path.name + ":") and "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("where, value, words", [
    (("figure", "width_mm"), 5000, "the figure width (figure.width_mm) must be between 20 and 500 mm, not 5000"),
    (("figure", "dpi"), "600", "figure.dpi must be a whole number, not '600'"),
    (("figure", "font_pt"), 0.5, "the text size (figure.font_pt) must be between 4 and 14 pt"),
    (("rules", "pre_window_hours"), -1, "the pre-infusion window (rules.pre_window_hours) must be between 0 and 2160 h"),
    (("rules", "exclude_infection"), None, "rules.exclude_infection must be true or false, not None"),
    (("window",), ["1850-01-01", None], "window: must be a date between 1900 and 2200"),
    (("window",), ["2022-12-01", "2022-01-01"], "the analysis window ends before it starts"),
    (("events", 0, "start"), "2022-13-45", "events.0.start must be a date and time"),
    (("events", 0, "label"), "x" * 5000, "events.0.label is too long"),
    (("events", 0, "kind"), "party", "events.0.kind must be 'infection'"),
    (("exclusions",), [{"file": "labs.xlsx"}], "exclusions.0.row is missing"),
    (("import", "labs", "mapping"), {"Q-GR#": "PLATELET"}, "import.labs.mapping.Q-GR#"),
    (("import", "labs", "header_row"), 0, "the header row (import.labs.header_row) must be between 1 and"),
    (("sources", "labs", "sha256"), "not a hash", "sources.labs.sha256 is not a value Nadir writes"),
    (("sources",), {"infusions": {"path": "x.xlsx"}}, "sources: names no lab export"),
    (("figure",), [[[[1]]]], "figure must be a group of settings"),
    (("administrations", 0, "dose"), 1e300, "the dose (administrations.0.dose) must be between 0 and"),
])
def test_a_bad_value_is_named_with_its_field(tmp_path, valid, where, value, words):
    data = copy.deepcopy(valid[1])
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert words in _message(_write(tmp_path, data))


@pytest.mark.parametrize("content, words", [
    ("[" * 100_000, "is not a Nadir project file or is damaged"),
    ('{"format": "nadir-project", "version": ' + "9" * 5000 + "}", "is not a Nadir project file or is damaged"),
    ('{"format": "nadir-project", "version": 2e400}', "its version must be a whole number"),
    ('{"format": "nadir-project", "version": "2"}', "its version must be a whole number"),
    ('{"format": "nadir-project", "version": 1000000000000}', "newer version of Nadir (project version unknown)"),
    ('{"format": "nadir-project", "version": 2}', "sources is missing"),
    ('"just text"', "is not a Nadir project file"),
    (b"\xff\xfe\x00garbage", "is not a Nadir project file or is damaged"),
])
def test_a_broken_file_is_one_plain_line(tmp_path, content, words):
    path = tmp_path / "broken.nadir"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert words in _message(path)


def test_a_folder_as_the_project_or_as_a_source(tmp_path, valid):
    folder = tmp_path / "case.nadir"
    folder.mkdir()
    assert "is a folder, not a Nadir project file" in _message(folder)
    data = copy.deepcopy(valid[1])
    (tmp_path / "adir").mkdir()
    data["sources"]["labs"] = {"path": str(tmp_path / "adir"), "name": "adir", "sha256": ""}
    assert "tampered.nadir: the labs file adir cannot be found" in _message(_write(tmp_path, data))


def test_saving_refuses_what_opening_would_refuse(tmp_path, valid):
    from analysis.figure.spec import FigureSettings

    path, _ = valid
    opened = project.open_project(path)
    with pytest.raises(InputError, match="the figure width"):
        project.save_project(tmp_path / "x.nadir", opened.case, FigureSettings(width_mm=9000), sources=opened.sources)
    assert not (tmp_path / "x.nadir").exists()


# --- mutations -----------------------------------------------------------------------------------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False), st.text(max_size=30), st.just("9" * 5000),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just("2022-10-18T00:00:00"), st.just("0001-01-01"), st.just("/"), st.just({"path": "/"}),
)


def _paths(value, prefix=()):
    yield prefix
    if len(prefix) > 6:  # not into a nesting an earlier mutation made
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated(draw, base):
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        where = draw(st.sampled_from(paths))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "nest", "deep"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "nest":
            parent[where[-1]] = [parent[where[-1]]]
        elif action == "deep":
            value = 1
            for _ in range(draw(st.integers(10, 3000))):
                value = [value]
            parent[where[-1]] = value
        else:
            parent[where[-1]] = draw(JUNK)
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutation_of_a_project_opens_or_says_what_is_wrong(tmp_path, valid, data):
    path, base = valid
    # Keep the administrations short so each example is quick; the shape is what is tested.
    base = {**base, "administrations": base["administrations"][-6:]}
    changed = data.draw(mutated(base))
    try:
        text = json.dumps(changed)
    except (ValueError, RecursionError):
        return
    target = _write(path.parent, text, "mutated.nadir")
    try:
        project.open_project(target)
    except InputError as exc:
        message = str(exc)
        assert message.startswith("mutated.nadir:") or "mutated.nadir" in message
        assert "\n" not in message and "Traceback" not in message


def test_import_choices_that_no_longer_fit_the_file_are_a_problem_of_the_project(tmp_path, valid):
    data = copy.deepcopy(valid[1])
    data["import"]["labs"]["sheet"] = "Blutbild"
    text = _message(_write(tmp_path, data))
    assert "labs.xlsx cannot be read with the import choices saved in the project: has no sheet named 'Blutbild'" in text


def test_the_schema_has_every_figure_setting_with_the_figures_default():
    # A setting the schema does not declare is dropped when a project is read (as a later
    # version's key would be): colour and font once were, so a CMYK choice reopened as RGB.
    from analysis.figure.settings import FigureSettings
    from analysis.project.schema import FigureModel

    defaults = dataclasses.asdict(FigureSettings())
    assert set(FigureModel.model_fields) == set(defaults)
    saved = FigureModel().model_dump()
    assert {**saved, "labels": tuple(saved["labels"])} == defaults


def test_every_figure_setting_survives_saving_and_reopening(tmp_path, valid):
    from analysis.figure.labels import LabelOverride
    from analysis.figure.settings import FigureSettings

    folder = valid[0].parent
    case = project.open_project(valid[0]).case
    changed = FigureSettings(
        width_mm=89, height_mm=70, dpi=300, preset="", panel_b="cycle:2", axis="dates", show_severity=False,
        show_reference_range=True, reference_range=(1.8, 7.7), show_duffy=True, show_stats_text=False,
        show_cycle_numbers=False, log_y=True, font_pt=8.0, palette="greyscale", font="DejaVu Sans",
        colour="cmyk", y_max=12.0, y_step=2.0, y_title="ANC", x_title="Days on IVIG", marker_scale=1.5,
        line_scale=0.8, labels=(LabelOverride("B:cycle1:nadir", dx_mm=1.0),),
    )
    assert all(getattr(changed, f) != v for f, v in dataclasses.asdict(FigureSettings()).items()
               if f != "preset"), "every setting differs from its default"
    path = folder / "every_setting.nadir"
    project.save_project(path, case, changed, sources={r: folder / n for r, n in (
        ("labs", "labs.xlsx"), ("infusions", "infusions.xlsx"), ("events", "events.csv"))})
    assert project.open_project(path).settings == changed


def test_the_schemas_choices_are_the_ones_the_code_knows():
    # The schema spells its choices as literals (for pydantic's messages); the code has the tuples.
    from typing import get_args

    from analysis.figure.colour import COLOUR_MODES
    from analysis.importing.date_order import DATE_ORDERS
    from analysis.importing.layout import LAYOUTS
    from analysis.project import schema

    assert get_args(schema.DateOrder) == DATE_ORDERS
    assert get_args(schema.LabImportModel.model_fields["layout"].annotation)[0].__args__ == LAYOUTS
    assert get_args(schema.FigureModel.model_fields["colour"].annotation) == COLOUR_MODES
