"""Hypothesis strategies for hostile project files and command lines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import strategies as st

from tests.fuzz.mutations import HOSTILE_TEXT, byte_flips, truncation

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "data" / "ivig-mmn"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False) | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def seed_project(folder: Path) -> dict:
    """A real project of the reference case, saved by Nadir, as JSON."""
    from analysis.case import load_case
    from analysis.project.store import project_json

    sources = {"labs": CASE / "labs.xlsx", "infusions": CASE / "infusions.xlsx", "events": CASE / "events.csv"}
    case = load_case(*sources.values())
    return project_json(case, None, sources=sources)


def many_events(n: int) -> list[dict]:
    start = datetime(2022, 9, 6)
    return [{"kind": "fever", "label": f"event {i}", "start": (start + timedelta(minutes=13 * i)).isoformat(),
             "end": None} for i in range(n)]


# What a project file can do to Nadir beyond its schema: name odd files, hold many events, be cut
# short or corrupted. Wrong types in its fields are the schema's to refuse (project validation,
# issue #9); the long run tries those too and reports them apart.
FILE_EDITS = ("events", "source_path", "version", "bytes", "nested")
SCHEMA_EDITS = ("drop_key", "wrong_value", "bad_event", "figure", "exclusions", "window")


@st.composite
def project_cases(draw, seed: dict, special_paths: dict[str, str],
                  edits=FILE_EDITS + SCHEMA_EDITS) -> tuple[bytes, str]:
    """(file bytes, what was done) from the seed project's JSON."""
    data = json.loads(json.dumps(seed))
    edit = draw(st.sampled_from(list(edits)))
    if edit == "drop_key":
        data.pop(draw(st.sampled_from(sorted(data))), None)
    elif edit == "wrong_value":
        data[draw(st.sampled_from(sorted(data)))] = draw(JSON_VALUES)
    elif edit == "events":
        data["events"] = many_events(draw(st.sampled_from([1000, 20_000])))
    elif edit == "bad_event":
        event = {"kind": draw(HOSTILE_TEXT), "label": draw(HOSTILE_TEXT), "start": draw(HOSTILE_TEXT | JSON_VALUES),
                 "end": draw(HOSTILE_TEXT | st.none())}
        data["events"] = [*(data.get("events") or []), event]
    elif edit == "source_path":
        role = draw(st.sampled_from(["labs", "infusions", "events"]))
        data["sources"][role]["path"] = draw(st.sampled_from(sorted(special_paths.values())) | HOSTILE_TEXT)
        if draw(st.booleans()):
            data["sources"][role]["sha256"] = draw(HOSTILE_TEXT)
    elif edit == "version":
        data["version"] = draw(st.sampled_from([0, -1, 2, 10**30, "1", 1.5, None]))
    elif edit == "figure":
        data["figure"] = {draw(st.sampled_from(["width_mm", "height_mm", "dpi", "panel_b", "axis", "font_pt",
                                                "preset", "title"])): draw(JSON_VALUES) for _ in range(3)}
    elif edit == "exclusions":
        data["exclusions"] = [{"file": draw(HOSTILE_TEXT), "row": draw(JSON_VALUES), "column": draw(HOSTILE_TEXT),
                               "reason": draw(HOSTILE_TEXT)}]
    elif edit == "window":
        data["window"] = [draw(HOSTILE_TEXT | JSON_VALUES), draw(HOSTILE_TEXT | JSON_VALUES)]
    elif edit == "nested":
        data["rules"] = "NESTED"  # written as text below: json.dumps itself cannot nest 5,000 deep
    text = json.dumps(data, ensure_ascii=False)
    if edit == "nested":
        depth = draw(st.sampled_from([100, 5000, 100_000]))
        text = text.replace('"NESTED"', "[" * depth + "1" + "]" * depth)
    text = text.encode("utf-8", "surrogatepass")
    if edit == "bytes":
        text = draw(st.one_of(byte_flips(text), truncation(text)))
    return text, edit


@st.composite
def cli_cases(draw, paths: dict[str, str]) -> list[str]:
    """Command lines for the headless commands, with hostile values and file names."""
    command = draw(st.sampled_from(["import", "summary", "render"]))
    file_arg = st.sampled_from(sorted(paths.values())) | HOSTILE_TEXT
    # Half the time the reference case's own files, so that the options are tried on a command
    # that would otherwise succeed (a figure at 500 x 500 mm and 2,400 dpi, dates out of range).
    real = draw(st.booleans())
    argv = [command, paths["labs"] if real else draw(file_arg)]
    if command in ("summary", "render"):
        argv += ["--infusions", paths["infusions"] if real else draw(file_arg)]
        if draw(st.booleans()):
            argv += ["--events", paths["events"] if real else draw(file_arg)]
    options = {
        "import": ["--sheet", "--patient", "--map", "--date-order"],
        "summary": ["--from", "--to", "--patient", "--product", "--date-order"],
        "render": ["--from", "--to", "--width-mm", "--height-mm", "--dpi", "--preset", "--panel-b", "--axis"],
    }[command]
    values = HOSTILE_TEXT | st.sampled_from(["cycle:²", "cycle:0", "cycle:99", "cycle:1", "overlay", "1e9", "-1",
                                             "0", "nan", "inf", "500", "2400", "72", "2022-09-06", "9999-12-31",
                                             "2022-13-45", "DMY", "Neut=ANC", "=", "nature-double"])
    for _ in range(draw(st.integers(0, 4))):
        argv += [draw(st.sampled_from(options)), draw(values)]
    if command == "render":
        argv += ["-o", draw(st.sampled_from(sorted(paths.values())) | st.sampled_from(["OUT/figure.png",
                                                                                      "OUT/figure.pdf",
                                                                                      "OUT/" + "f" * 300 + ".png"]))]
    if draw(st.booleans()) and command != "render":
        argv.append("--json")
    return argv
