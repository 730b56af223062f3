"""The ``nadir`` command as a user runs it: real files in, text or JSON out, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

DATA = Path(__file__).parent / "data"
CASE = DATA / "ivig-mmn"
WINDOW = ["--from", "2022-09-06", "--to", "2022-12-27"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_json_reproduces_every_expected_value(capsys):
    expected = json.loads((CASE / "expected.json").read_text())
    code, out, err = run(
        capsys, "summary", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx",
        "--events", CASE / "events.csv", *WINDOW, "--json",
    )
    assert code == 0, err
    got = json.loads(out)
    assert len(got["cycles"]) == 6
    for want, have in zip(expected["rules"]["cycles"], got["cycles"]):
        for key, value in want.items():
            assert have[key] == pytest.approx(value) if isinstance(value, float) else have[key] == value, (
                f"cycle {want['number']} {key}: {have[key]!r} != {value!r}"
            )
    for part in ("pre", "post", "nadir"):
        assert {k: v for k, v in got["summary"][part].items() if k != "censored"} == pytest.approx(expected["rules"]["summary"][part])
        assert got["summary"][part]["censored"] == 0
    assert got["wilcoxon"]["n"] == 5
    assert 0 < got["wilcoxon"]["p"] < 1


def test_summary_text_states_the_published_figures(capsys):
    code, out, _ = run(
        capsys, "summary", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx",
        "--events", CASE / "events.csv", *WINDOW,
    )
    assert code == 0
    assert "6 cycles" in out
    assert "pre-infusion median  1.1 (0.7-1.6), n = 5" in out
    assert "day after median     0.4 (0.4-0.8), n = 5" in out
    row3 = next(line for line in out.splitlines() if line.startswith("    3  "))
    assert "infection" in row3 and "left out of summary" in row3


def test_import_json_shape(capsys):
    code, out, _ = run(capsys, "import", DATA / "formats" / "portal_cells_per_ul.csv", "--json")
    assert code == 0
    got = json.loads(out)
    anc = [o for o in got["observations"] if o["analyte"] == "ANC"]
    assert [o["value"] for o in anc] == [1.2, 0.45, 0.6, 0.9, 1.4, 0.35, 0.1, 1.1]
    assert anc[6]["censored"] == "<"
    assert anc[0]["unit"] == "10^3/uL"
    assert anc[0]["time"] == "2023-03-01T08:00"
    assert anc[0]["source"]["file"] == "portal_cells_per_ul.csv"
    assert isinstance(anc[0]["source"]["row"], int)
    assert set(got) == {"patient", "observations", "skipped", "warnings"}


def test_import_text_lists_skipped_rows_with_reasons(capsys):
    code, out, _ = run(capsys, "import", DATA / "formats" / "messy_export.xlsx")
    assert code == 0
    assert "ANC" in out
    assert "cancelled" in out.lower()
    assert "comment" in out.lower()


def test_import_asks_which_patient(capsys):
    code, _, err = run(capsys, "import", DATA / "formats" / "two_patients.xlsx")
    assert code == 2
    assert "two_patients.xlsx" in err and "E0000001" in err and "E0000002" in err
    code, out, _ = run(capsys, "import", DATA / "formats" / "two_patients.xlsx", "--patient", "E0000002", "--json")
    assert code == 0
    assert {o["value"] for o in json.loads(out)["observations"]} >= {3.0, 3.7}


def test_missing_file_and_bad_arguments_exit_2_with_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "import", tmp_path / "nope.xlsx")
    assert code == 2 and "nope.xlsx" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as exc:
        main(["summary", str(CASE / "labs.xlsx"), "--infusions", str(CASE / "infusions.xlsx"), "--from", "6/9/22"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_lab_file_name_with_a_nul_in_it_is_not_found_not_an_internal_error(capsys):
    # The short fuzz run draws it now and then: the codes dictionary was looked for beside the
    # export (resolving its path) before the export itself was opened.
    code, _, err = run(capsys, "import", "\x00")
    assert code == 2 and "was not found" in err and "internal error" not in err


# Runs the real command in a fresh process and, on Linux, records that process's own peak
# memory (VmHWM belongs to the exec'd image; wait4's ru_maxrss would include the forked copy
# of pytest itself).
_CHILD = """
import atexit, sys
def _peak():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                open(sys.argv[1], "w").write(line.split()[1])
    except OSError:
        pass
atexit.register(_peak)
from desktop.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "broken").iterdir()))
def test_broken_files_are_refused_by_the_real_command(name, tmp_path):
    # As a user runs it: one line on stderr naming the file, exit 2, and without inflating a zip
    # bomb or an entity bomb into memory. (How long it takes: benchmarks/bench_refusals.py.)
    peak_file = tmp_path / "peak_kb"
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(peak_file), "import", str(DATA / "broken" / name)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]
    if peak_file.exists():
        assert int(peak_file.read_text()) / 1024 < 400  # MB; the inflating file would be 1 GB


def test_demo_prints_the_cycle_table_without_a_display(capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("desktop.cli._gui_available", lambda: False)
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "6 cycles" in out and "1.1 (0.7-1.6)" in out


CASE_ARGS = [CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx", "--events", CASE / "events.csv", *WINDOW]


@pytest.mark.parametrize("suffix", [".pdf", ".svg", ".eps", ".tif", ".png"])
def test_render_writes_figure_1_in_every_format(capsys, tmp_path, suffix):
    out = tmp_path / f"figure1{suffix}"
    code, stdout, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--width-mm", "180", "--height-mm", "120")
    assert code == 0, err
    assert out.stat().st_size > 1000
    assert "180 x 120 mm" in stdout
    data = out.read_bytes()
    assert b"E0000001" not in data and b"TEST, PATIENT" not in data and str(tmp_path).encode() not in data
    if suffix == ".pdf":
        from pypdf import PdfReader

        box = PdfReader(out).pages[0].mediabox
        assert float(box.width) == pytest.approx(180 / 25.4 * 72, abs=0.01)
        assert float(box.height) == pytest.approx(120 / 25.4 * 72, abs=0.01)
    if suffix == ".tif":
        from PIL import Image

        with Image.open(out) as im:
            assert im.mode == "RGB" and round(im.info["dpi"][0]) == 600
            # matplotlib truncates to whole pixels: within one pixel (0.04 mm) of the exact size
            assert abs(im.size[0] - 180 / 25.4 * 600) < 1 and abs(im.size[1] - 120 / 25.4 * 600) < 1


def test_render_preset_sets_the_journal_width(capsys, tmp_path):
    out = tmp_path / "nature.pdf"
    code, stdout, _ = run(capsys, "render", *CASE_ARGS, "-o", out, "--preset", "nature-single", "--panel-b", "overlay")
    assert code == 0
    assert "89 x" in stdout


@pytest.mark.parametrize("colour, mode", [("cmyk", "CMYK"), ("grey", "L")])
def test_render_colour_writes_a_cmyk_or_a_grey_tiff(capsys, tmp_path, colour, mode):
    from PIL import Image

    out = tmp_path / "figure1.tif"
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--colour", colour, "--dpi", "300")
    assert code == 0, err
    with Image.open(out) as im:
        assert im.mode == mode and "A" not in im.getbands() and round(im.info["dpi"][0]) == 300


def _label_off_the_page(monkeypatch, below_mm: float = float("inf")) -> None:
    """build_figure with an event label off panel A's right edge at heights under ``below_mm``."""
    from dataclasses import replace

    import analysis.figure.spec as spec_module
    from analysis.figure.items import Text

    build = spec_module.build_figure

    def with_it(case, settings):
        spec = build(case, settings)
        if settings.height_mm >= below_mm:
            return spec
        a = spec.panels[0]
        off = Text("Kontrolle Neurologie", a.x_axis.hi - 1, 0.3, size_pt=6, ha="left", va="bottom", kind="event")
        return replace(spec, panels=(replace(a, texts=(*a.texts, off)), *spec.panels[1:]))

    monkeypatch.setattr(spec_module, "build_figure", with_it)


def test_render_refuses_a_figure_whose_labels_collide_and_names_the_label(capsys, tmp_path, monkeypatch):
    """A label the layout check finds off the page: exit 2, one line naming it and what to do,
    no file (h6's trial: 'Kontrolle Neurologie' ran off a Blood single-column PNG, and render
    said nothing)."""
    _label_off_the_page(monkeypatch)
    out = tmp_path / "blood.pdf"
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--preset", "blood-single")
    assert code == 2 and not out.exists() and len(err.strip().splitlines()) == 1, err
    assert "'Kontrolle Neurologie' runs off the page" in err and "--height-mm" in err, err


def test_a_collision_refusal_names_the_smallest_taller_height_that_is_clean(capsys, tmp_path, monkeypatch):
    """The refusal says which height works, found by building the figure again (here a label
    that only fits from 124 mm up), and that height then renders."""
    _label_off_the_page(monkeypatch, below_mm=124)
    out = tmp_path / "blood.pdf"
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--preset", "blood-single")
    assert code == 2 and not out.exists() and len(err.strip().splitlines()) == 1, err
    assert "at 80 x 120 mm" in err and "At 80 x 124 mm they do not (--height-mm 124)" in err, err
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--preset", "blood-single", "--height-mm", "124")
    assert code == 0 and out.exists(), err


def test_render_refuses_80_by_40_mm_with_the_smallest_height_that_works(capsys, tmp_path):
    import re

    out = tmp_path / "small.pdf"
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--width-mm", "80", "--height-mm", "40")
    assert code == 2 and not out.exists() and len(err.strip().splitlines()) == 1
    found = re.search(r"needs a height of at least (\d+) mm", err)
    assert found and f"--height-mm {found.group(1)}" in err, err
    height = int(found.group(1))
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--width-mm", "80", "--height-mm", height - 1)
    assert code == 2 and f"at least {height} mm" in err  # the smallest: one mm less is refused
    code, _, err = run(capsys, "render", *CASE_ARGS, "-o", out, "--width-mm", "80", "--height-mm", height)
    assert code == 0 and out.exists(), err


@pytest.mark.parametrize(
    "extra, words",
    [
        (["-o", "figure.docx"], "format"),
        (["-o", "figure.pdf", "--preset", "lancet"], "preset"),
        (["-o", "figure.pdf", "--panel-b", "cycle:9"], "cycle 9"),
        (["-o", "figure.pdf", "--panel-b", "zoom"], "panel-b"),
        (["-o", "figure.pdf", "--width-mm", "2"], "mm"),
        (["-o", "figure.tif", "--dpi", "5"], "dpi"),
    ],
)
def test_render_refuses_impossible_options_in_one_line(capsys, tmp_path, extra, words):
    extra = [str(tmp_path / e) if e.startswith("figure.") else e for e in extra]
    code, _, err = run(capsys, "render", *CASE_ARGS, *extra)
    assert code == 2
    assert words in err and len(err.strip().splitlines()) == 1


def test_a_window_without_infusions_is_refused_with_the_record_span(capsys):
    code, _, err = run(capsys, "summary", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx",
                       "--from", "2023-01-01")
    assert code == 2
    assert "no infusion starts between 2023-01-01" in err and "2012-08-14 to 2022-12-20" in err
    code, _, err = run(capsys, "summary", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx",
                       "--from", "2022-12-27", "--to", "2022-09-06")
    assert code == 2 and "earlier date first" in err


def test_labs_and_infusions_of_different_periods_are_flagged(capsys, tmp_path):
    mar = tmp_path / "mar.csv"
    mar.write_text("Medication,Administration Date/Time,Action,Dose,Dose Unit\n"
                   "Privigen,2019-05-01 09:00,Given,70,g\nPrivigen,2019-05-22 09:00,Given,70,g\n")
    code, _, err = run(capsys, "summary", DATA / "formats" / "legacy.xls", "--infusions", mar)
    assert code == 0
    assert "None of the infusions" in err and "within the lab results" in err


def test_results_below_the_reporting_limit_stay_marked(capsys, tmp_path):
    # german_decimal_comma.xlsx has "<0,1" on 29 Mar 2023, day 7 of the second cycle.
    mar = tmp_path / "mar.csv"
    mar.write_text("Medication,Administration Date/Time,Action,Dose,Dose Unit\n"
                   "Privigen,2023-03-01 09:00,Given,70,g\nPrivigen,2023-03-22 09:00,Given,70,g\n")
    args = ["summary", DATA / "formats" / "german_decimal_comma.xlsx", "--infusions", mar]
    code, out, _ = run(capsys, *args)
    assert code == 0
    row2 = next(line for line in out.splitlines() if line.startswith("    2  "))
    assert "<0.1" in row2
    assert "1 value below the reporting limit counted at the limit" in out
    code, out, _ = run(capsys, *args, "--json")
    got = json.loads(out)
    assert got["cycles"][1]["nadir_censored"] == "<"
    assert got["summary"]["nadir"]["censored"] == 1


def test_column_overrides_for_the_infusion_record_and_the_events(capsys, tmp_path):
    """--infusion-column and --event-column name columns detection cannot; a wrong heading is
    refused with the columns found."""
    from openpyxl import load_workbook

    wb = load_workbook(CASE / "infusions.xlsx")
    ws = wb["MAR"]
    ws["B1"] = "Zz"  # the drug column under a heading nobody uses, next to a second text column
    ws["I1"] = "Yy"
    wb.save(tmp_path / "mar.xlsx")
    events = tmp_path / "events.csv"
    events.write_text("Onset;Problem;Whatever\n18.10.2022;COVID-19;x\n", encoding="utf-8")
    args = ["summary", CASE / "labs.xlsx", "--infusions", tmp_path / "mar.xlsx", "--events", events, *WINDOW,
            "--json", "--infusion-column", "drug=Zz", "--event-column", "label=Problem"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    got = json.loads(out)
    assert len(got["cycles"]) == 6 and got["cycles"][0]["dose"] == "IVIG 1 g/kg"
    assert [c["number"] for c in got["cycles"] if c["infection"]] == [3]
    code, out, err = run(capsys, *args[:-4], "--infusion-column", "drug=Nope")
    assert code == 2 and "Columns found: 'MRN', 'Zz'" in err and "--infusion-column" in err


def test_an_events_refusal_lists_the_columns_found_and_the_option(capsys):
    """The headings below a long letterhead: the refusal names them, their row and the option;
    naming one column reads the table."""
    events = DATA / "events" / "long_preamble.csv"
    args = ["summary", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx", *WINDOW, "--json"]
    code, _out, err = run(capsys, *args, "--events", events)
    assert code == 2 and "Columns found in row 33: 'Date', 'Event', 'Type'" in err and "--event-column" in err
    code, out, err = run(capsys, *args, "--events", events, "--event-column", "start=Date")
    assert code == 0, err
    assert [c["number"] for c in json.loads(out)["cycles"] if c["infection"]] == [3]


def test_lab_column_names_columns_whose_headings_are_unknown(capsys, tmp_path):
    """A results table with headings no vocabulary knows is read by what its cells hold; a test
    name Nadir does not know is listed in the refusal, --map then reads it, and --lab-column
    names a column the cells cannot tell."""
    labs = tmp_path / "labs.csv"
    labs.write_text("Q1,Q2,Q3,Q4\n2023-03-01 08:00,XNEU-7,1.2,10^3/uL\n2023-03-01 08:00,WBC,4.0,10^3/uL\n"
                    "2023-03-03 08:00,XNEU-7,0.8,10^3/uL\n", encoding="utf-8")
    code, out, err = run(capsys, "import", labs)
    assert code == 2 and "Tests found: 'XNEU-7'" in err and "--map NAME=ANC" in err
    code, out, err = run(capsys, "import", labs, "--map", "XNEU-7=ANC", "--json")
    assert code == 0, err
    got = json.loads(out)
    anc = [(o["time"][:10], o["value"]) for o in got["observations"] if o["analyte"] == "ANC"]
    assert anc == [("2023-03-01", 1.2), ("2023-03-03", 0.8)]
    assert any("chosen by what they hold" in w for w in got["warnings"])
    code, out, err = run(capsys, "import", labs, "--lab-column", "test=Q2", "--lab-column", "result=Q3",
                         "--lab-column", "time=Q1", "--lab-column", "unit=Q4", "--map", "XNEU-7=ANC", "--json")
    assert code == 0, err
    assert [(o["time"][:10], o["value"]) for o in json.loads(out)["observations"] if o["analyte"] == "ANC"] == anc


def test_lab_dictionary_names_the_codes_of_a_research_extract(capsys, tmp_path):
    research = DATA / "research"
    code, out, err = run(capsys, "import", research / "labevents.csv")
    assert code == 2 and "--lab-dictionary" in err
    code, out, err = run(capsys, "import", research / "labevents.csv", "--lab-dictionary",
                         research / "d_labitems.csv", "--json")
    assert code == 0, err
    assert len([o for o in json.loads(out)["observations"] if o["analyte"] == "ANC"]) == 5


def test_a_lab_dictionary_given_the_other_way_round_is_told_by_its_content(capsys):
    research = DATA / "research"
    code, out, err = run(capsys, "import", research / "d_labitems.csv", "--lab-dictionary",
                         research / "labevents.csv", "--json")
    assert code == 0, err
    assert "note: d_labitems.csv is the dictionary of the test codes in labevents.csv" in err
    got = json.loads(out)
    assert len([o for o in got["observations"] if o["analyte"] == "ANC"]) == 5
    assert {o["source"]["file"] for o in got["observations"]} == {"labevents.csv"}


def test_a_lab_dictionary_that_is_none_is_one_line_naming_it(capsys):
    code, _out, err = run(capsys, "import", DATA / "research" / "labevents.csv", "--lab-dictionary",
                          CASE / "labs.xlsx")
    assert code == 2
    assert err.startswith("nadir: labs.xlsx: is not a dictionary of test codes") and len(err.splitlines()) == 1


def test_summary_says_how_the_rules_apply_to_a_daily_drug(capsys):
    code, _out, err = run(capsys, "summary", DATA / "layouts" / "epic_results_review.xlsx", "--infusions",
                         DATA / "treatment" / "daily_oral.csv")
    assert code == 0, err
    assert "note: Azathioprine is given daily" in err and "treatment period" in err


def test_infusion_action_says_what_a_code_means(capsys):
    """A record whose actions are numbers (Epic's MAR_ACTION_C) is refused with its codes and the
    option; --infusion-action CODE=MEANING reads it, the held dose skipped."""
    args = ["summary", CASE / "labs.xlsx", "--infusions", DATA / "treatment" / "clarity_numeric_action.csv",
            *WINDOW, "--json"]
    code, out, err = run(capsys, *args)
    assert code == 2 and "'MAR_ACTION_C'" in err and "--infusion-action" in err
    code, out, err = run(capsys, *args, "--infusion-action", "6=start", "--infusion-action", "9=part",
                         "--infusion-action", "8=part", "--infusion-action", "5=not given")
    assert code == 0, err
    got = json.loads(out)
    assert len(got["cycles"]) == 6 and got["cycles"][0]["start"].startswith("2022-09-06")
    with pytest.raises(SystemExit) as bad:
        run(capsys, *args, "--infusion-action", "6=maybe")
    assert bad.value.code == 2 and "WORD=MEANING" in capsys.readouterr().err


BORTEZOMIB = DATA / "treatment" / "bortezomib_d1_4_8_11.csv"  # D1/4/8/11 q21d, tests/data/make_treatment_layouts.py


def test_course_gap_makes_days_1_4_8_11_one_course_a_cycle(capsys, tmp_path):
    """Days 4 -> 8 are 96 h apart: two courses a cycle under the 72-h rule, one with --course-gap 5;
    the rules text says the gap, and a project keeps it (a summary of it may change it again)."""
    args = ["summary", CASE / "labs.xlsx", "--infusions", BORTEZOMIB, "--json"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    got = json.loads(out)
    assert len(got["cycles"]) == 8 and "at most 72 h (3 days)" in got["rules"][0]
    code, out, err = run(capsys, *args, "--course-gap", "5")
    assert code == 0, err
    got = json.loads(out)
    assert [c["start"][:10] for c in got["cycles"]] == ["2022-09-06", "2022-09-27", "2022-10-18", "2022-11-08"]
    assert "at most 120 h (5 days)" in got["rules"][0]
    code, out, err = run(capsys, "summary", CASE / "labs.xlsx", "--infusions", BORTEZOMIB, "--course-gap", "4,5")
    assert code == 0, err
    assert "at most 108 h (4.5 days) after the previous one" in out
    project = tmp_path / "btz.nadir"
    code, out, err = run(capsys, "project", project, CASE / "labs.xlsx", "--infusions", BORTEZOMIB,
                         "--course-gap", "4.5")
    assert code == 0, err
    assert json.loads(project.read_text())["rules"]["course_gap_hours"] == 108
    code, out, err = run(capsys, "summary", project, "--json")
    assert code == 0, err
    assert len(json.loads(out)["cycles"]) == 4
    code, out, err = run(capsys, "summary", project, "--course-gap", "3", "--json")
    assert code == 0, err
    assert len(json.loads(out)["cycles"]) == 8
    code, out, err = run(capsys, "render", project, "--course-gap", "3", "-o", tmp_path / "btz.svg")
    assert code == 0, err


@pytest.mark.parametrize("bad", ["0", "-1", "91", "three", "nan", "inf"])
def test_a_course_gap_out_of_range_is_one_line(capsys, bad):
    with pytest.raises(SystemExit) as exit_:
        main(["summary", str(CASE / "labs.xlsx"), "--infusions", str(BORTEZOMIB), "--course-gap", bad])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert len(err.splitlines()) == 1 and f"{bad!r} is not a course gap" in err and "at most 90" in err


def test_the_two_exports_swapped_are_refused_for_what_each_is(capsys):
    # A physician who gives the lab export as the infusion record got cycles labelled by its test
    # panel ("Cbc With Auto Differential 3.5 L") before; and an infusion record alone is said to be one.
    code, out, err = run(capsys, "summary", CASE / "labs.xlsx", "--infusions", CASE / "labs.xlsx")
    assert code == 2 and not out
    assert "labs.xlsx: looks like lab results, not a treatment record" in err and "--infusions" in err
    code, _, err = run(capsys, "summary", CASE / "infusions.xlsx")
    assert code == 2 and "infusions.xlsx: looks like an infusion record, not a lab export" in err
    assert "then this file with --infusions" in err
