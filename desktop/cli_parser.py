"""The ``nadir`` command line's arguments: every subcommand and option, and the argument types
that refuse a malformed value in one line (see :mod:`desktop.cli` for what the commands do).
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path

from analysis.model import EVENT_KINDS  # plain data, no pandas or Qt: start-up stays fast
from analysis.project.limits import LIMITS  # plain Python too

EXIT_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as one line, like every other input problem."""

    def error(self, message: str):
        self.exit(EXIT_INPUT, f"nadir: {message} (see 'nadir {self._sub_name()}--help')\n")

    def _sub_name(self) -> str:
        parts = self.prog.split()
        return " ".join(parts[1:]) + " " if len(parts) > 1 else ""


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-09-06") from None


def _mapping_arg(text: str) -> tuple[str, str]:
    name, sep, analyte = text.rpartition("=")
    if not sep or not name.strip() or not analyte.strip():
        raise argparse.ArgumentTypeError(f"{text!r} should look like NAME=ANALYTE, e.g. 'Neut abs=ANC'")
    return name.strip(), analyte.strip()


def _column_arg(text: str) -> tuple[str, str]:
    role, sep, heading = text.partition("=")
    if not sep or not role.strip() or not heading.strip():
        raise argparse.ArgumentTypeError(f"{text!r} should look like ROLE=HEADING, e.g. 'drug=Order Description'")
    return role.strip().lower(), heading.strip()


def _action_arg(text: str) -> tuple[str, str]:
    word, sep, said = text.rpartition("=")
    said = said.strip().lower()
    if not sep or not word.strip() or said not in ("start", "part", "not given", "no dose", "return"):
        raise argparse.ArgumentTypeError(
            f"{text!r} should look like WORD=MEANING, the meaning one of start, part, 'not given', 'no dose', "
            "return (e.g. '6=start')")
    return word.strip(), said


def course_gap_days(text: str) -> float:
    """--course-gap DAYS: a number of days (3, 4.5) within the project's limits, as hours."""
    lo, hi = LIMITS["course_gap_hours"][:2]
    try:
        days = float(text.strip().replace(",", "."))
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or not lo <= days * 24 <= hi:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a course gap; give the days between the doses of one course, more than 0 "
            f"(at least {lo:g} h) and at most {hi / 24:g}, e.g. 3 (the default) or 5 for days 1, 4, 8 and 11")
    return days * 24


_LAB_COLUMN_HELP = ("the lab export's column for ROLE (test, result, unit, time, clock, patient, status, flag, "
                    "refrange, comment), when its heading is one Nadir does not know; repeatable")
_LAB_DICTIONARY_HELP = ("a file of the lab export's test codes and their names (a research extract's "
                        "d_labitems.csv: itemid, label, fluid)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nadir",
        description=(
            "Nadir: absolute neutrophil count against drug infusions, per treatment cycle.\n\n"
            "  nadir                  opens the window (alone, with no command)\n"
            "  nadir PROJECT.nadir    opens a saved project in the window\n"
            "  nadir COMMAND ...      works in the terminal, without a window (commands below)"
        ),
        epilog=(
            "In the window, open a lab export with File > Open lab export (or drop it on the window).\n"
            "Help on one command: nadir COMMAND --help, e.g. nadir summary --help."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser, metavar="COMMAND")
    # Set after the subcommands are made: they take their own "nadir import" prefix from it.
    parser.usage = "nadir [PROJECT.nadir]  |  nadir COMMAND ..."

    demo = sub.add_parser("demo", help="open the bundled demo case (prints its cycle table without a display)")
    demo.add_argument("--json", action="store_true", help="print the demo case's cycles as JSON")
    demo.add_argument("--screenshot", metavar="PATH", type=Path, help="render the window to a PNG and exit")

    _import_command(sub.add_parser("import", help="read a lab export and list what was found"))

    proj = sub.add_parser("project", help="write a .nadir project of the files, to open in the window or "
                                          "give to summary and render")
    proj.add_argument("output", type=Path, metavar="OUT.nadir", help="the project file to write")
    _case_inputs(proj, project_input=False)

    summ = sub.add_parser("summary", help="per-cycle pre, post, nadir and recovery, and their summary")
    _case_inputs(summ)
    summ.add_argument("--json", action="store_true", help="print cycles, summary and test as JSON")

    rend = sub.add_parser("render", help="write the publication figure (PDF, SVG, EPS, TIFF or PNG)")
    _case_inputs(rend)
    _figure_options(rend)
    return parser


def _import_command(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", type=Path, help="lab export: .xlsx .xlsm .xls .ods or .csv")
    imp.add_argument("--sheet", help="sheet to read (default: the one with lab results)")
    imp.add_argument("--patient", help="patient identifier, when the file holds several patients")
    imp.add_argument(
        "--map",
        dest="mapping",
        action="append",
        type=_mapping_arg,
        default=[],
        metavar="NAME=ANALYTE",
        help="treat the test or column NAME as ANALYTE (ANC, WBC, NEUT_PCT, BAND_PCT, LYMPH, HGB, PLT); repeatable",
    )
    imp.add_argument("--date-order", choices=["MDY", "DMY", "YMD"], help="order of day and month in text dates")
    imp.add_argument("--lab-column", dest="lab_columns", action="append", type=_column_arg, default=[],
                     metavar="ROLE=HEADING", help=_LAB_COLUMN_HELP)
    imp.add_argument("--lab-dictionary", type=Path, metavar="FILE", help=_LAB_DICTIONARY_HELP)
    imp.add_argument("--json", action="store_true", help="print every observation as JSON")


def _case_inputs(p: argparse.ArgumentParser, *, project_input: bool = True) -> None:
    p.add_argument("labs", type=Path, help="lab export" + (", or a .nadir project" if project_input else ""))
    p.add_argument("--infusions", type=Path, help="medication-administration record (required with a lab export)")
    p.add_argument("--events", type=Path, help="table of events (date, label, type)")
    p.add_argument("--from", dest="start", type=_date_arg, help="first infusion date to analyse (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=_date_arg, help="last infusion date to analyse (YYYY-MM-DD)")
    p.add_argument("--patient", help="patient identifier, when the files hold several patients")
    p.add_argument("--product", help="medication to analyse (default: the immune globulin)")
    p.add_argument("--date-order", choices=["MDY", "DMY", "YMD"], help="order of day and month in text dates")
    p.add_argument("--map", dest="mapping", action="append", type=_mapping_arg, default=[],
                   metavar="NAME=ANALYTE", help="treat the test or column NAME as ANALYTE; repeatable")
    p.add_argument("--infusion-column", dest="infusion_columns", action="append", type=_column_arg, default=[],
                   metavar="ROLE=HEADING",
                   help="the infusion record's column for ROLE (drug, when, time, scheduled, action, dose, "
                        "unit, route, patient, weight, bsa, note, entry); repeatable")
    p.add_argument("--infusion-action", dest="infusion_actions", action="append", type=_action_arg, default=[],
                   metavar="WORD=MEANING",
                   help="what the infusion record's action WORD or code means (start, part, 'not given', "
                        "'no dose', return: cancels the removal before it), for words Nadir does not know; repeatable")
    p.add_argument("--lab-column", dest="lab_columns", action="append", type=_column_arg, default=[],
                   metavar="ROLE=HEADING", help=_LAB_COLUMN_HELP)
    p.add_argument("--lab-dictionary", type=Path, metavar="FILE", help=_LAB_DICTIONARY_HELP)
    p.add_argument("--event-column", dest="event_columns", action="append", type=_column_arg, default=[],
                   metavar="ROLE=HEADING",
                   help="the events table's column for ROLE (start, end, label, kind, duration); repeatable")
    p.add_argument("--leave-out", dest="leave_out", nargs="+", metavar="TYPE",
                   choices=[*EVENT_KINDS, "none"],
                   help="leave cycles with these event types out of the summary (default: infection; "
                        f"types: {', '.join(EVENT_KINDS)}; none keeps every cycle)")
    p.add_argument("--course-gap", dest="course_gap_hours", type=course_gap_days, metavar="DAYS",
                   help="doses at most DAYS apart form one course (default 3, or the project's); e.g. 5 "
                        "for a drug given on days 1, 4, 8 and 11 of each cycle")


def _figure_options(rend: argparse.ArgumentParser) -> None:
    """The figure's file, size and look (the project's choices where not given)."""
    rend.add_argument("-o", "--output", type=Path, required=True, help="output file; its suffix picks the format")
    rend.add_argument("--width-mm", type=float, help="figure width in mm")
    rend.add_argument("--height-mm", type=float, help="figure height in mm")
    rend.add_argument("--dpi", type=int, help="resolution of TIFF and PNG files (300, 600, 1200)")
    rend.add_argument("--preset", help="journal size preset, e.g. nature-double, blood-single, wiley-double")
    rend.add_argument("--panel-b", help="cycle:N, overlay or none (default: the first cycle of usual length "
                                        "with more than two draws after its infusion)")
    rend.add_argument("--axis", choices=["days", "dates"],
                      help="x axis (default days, or the project's; calendar dates identify a patient: "
                           "use them only where the journal and the patient's consent allow)")
    rend.add_argument("--font", help="font family (default: Arial or Helvetica when installed, else "
                      "the bundled Liberation Sans)")
    rend.add_argument("--colour", "--color", dest="colour", choices=["rgb", "cmyk", "grey"],
                      help="rgb (default), cmyk (TIFF only) or grey (drawn with the greyscale palette)")
    rend.add_argument("--palette", choices=["okabe-ito", "case-report", "greyscale"],
                      help="okabe-ito (colour-blind safe, default), case-report (the published case "
                           "report's colours) or greyscale")
