"""The ``nadir`` command.

Headless subcommands (``import``, ``summary``, ``render``) import no Qt, so they start fast and
run on machines without a display. Only the GUI paths import PySide6, and only when taken.

Every problem with the user's input ends as one plain line on stderr and exit status 2; an
internal error says so in one line too (set NADIR_DEBUG=1 to see the traceback).
"""

from __future__ import annotations

import json
import math
import os
import sys
from datetime import datetime
from pathlib import Path

from analysis.importing.gc_pause import collector_paused  # plain Python: start-up stays fast
from desktop.cli_parser import EXIT_INPUT, OneLineParser, build_parser

EXIT_INTERNAL = 1


# --- JSON helpers ------------------------------------------------------------------------------


def _iso(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:16] if isinstance(value, datetime) and text.endswith(":00") and len(text) == 19 else text
    return str(value)


def _num(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def _source_json(source) -> dict | None:
    if source is None:
        return None
    return {"file": source.file, "sheet": source.sheet, "row": source.row, "column": source.column}


# --- subcommands ----------------------------------------------------------------------------


def _dictionary_in_its_place(args, labs: str) -> None:
    """The lab export (``args.<labs>``) and --lab-dictionary given the other way round are read
    the right way round, told apart by what they hold, not by their names (a dictionary of codes
    that are the values of one of the other file's columns), with a note saying so."""
    given, export = getattr(args, "lab_dictionary", None), getattr(args, labs, None)
    if given is None or export is None or Path(export).suffix.lower() == ".nadir":
        return
    from analysis.importing.code_dictionary import dictionary_and_extract

    pair = dictionary_and_extract(export, given)
    if pair is not None and pair[0] == Path(export):
        print(f"note: {Path(export).name} is the dictionary of the test codes in {Path(given).name}: "
              f"{Path(given).name} was read as the lab export, with that dictionary", file=sys.stderr)
        setattr(args, labs, Path(given))
        args.lab_dictionary = Path(export)


def cmd_import(args) -> int:
    from analysis.importing.observations import import_labs

    _dictionary_in_its_place(args, "file")
    mapping = dict(args.mapping) if args.mapping else None
    labs = import_labs(
        args.file, sheet=args.sheet, patient=args.patient, mapping=mapping, date_order=args.date_order,
        columns=dict(args.lab_columns) if args.lab_columns else None,
        dictionary_file=args.lab_dictionary,
    )
    if args.json:
        obs = labs.observations
        out = {
            "patient": labs.patient,
            "observations": [
                {
                    "time": _iso(row.time.to_pydatetime()),
                    "analyte": row.analyte,
                    "value": _num(row.value),
                    "unit": row.unit,
                    "censored": row.censored if isinstance(row.censored, str) else None,
                    "derived": bool(row.derived),
                    "text": row.text,
                    "source": {"file": row.file, "sheet": row.sheet, "row": int(row.row), "column": row.column},
                }
                for row in obs.itertuples(index=False)
            ],
            "skipped": [
                {"text": s.text, "reason": s.reason, "analyte": s.analyte, "source": _source_json(s.source)}
                for s in labs.skipped
            ],
            "warnings": list(labs.warnings),
        }
        print(json.dumps(out, indent=1, ensure_ascii=False))
        return 0
    from analysis.report import import_report

    print(import_report(labs, args.file))
    return 0


def _load(args):
    """The case of summary/render; refuses a window with no cycle, warns when files don't fit."""
    return _load_with_settings(args)[0]


def _load_with_settings(args):
    """(case, the project's figure settings or None for files). A project is read and checked
    before the case reader (pandas, a second of start-up) is imported: a damaged one is refused
    quickly."""
    from analysis.errors import InputError

    from .cli_project import import_settings, is_project, open_for_command

    if args.start and args.end and args.start > args.end:
        raise InputError(f"--from {args.start} is after --to {args.end}; give the earlier date first")
    _dictionary_in_its_place(args, "labs")
    if is_project(args.labs) and args.command != "project":
        case, settings = open_for_command(args)
        case = _leave_out(case, args)
        if not case.cycles:
            raise InputError(f"nothing to analyse: {case.no_cycles_reason()}", args.labs)
        return case, settings
    if args.infusions is None:
        from analysis.treatment.recognise import INFUSIONS, table_kind

        if table_kind(args.labs) == INFUSIONS:  # only on the way to a refusal: the file is read once more
            raise InputError("looks like an infusion record, not a lab export", args.labs,
                             "Give the lab export first, then this file with --infusions.")
        raise InputError("--infusions is required with a lab export (the infusions divide the counts into "
                         "cycles)", hint="Give the medication-administration record, or a .nadir project.")
    from analysis.case import load_case

    case = load_case(
        args.labs,
        args.infusions,
        args.events,
        window=(args.start, args.end),
        patient=args.patient,
        product=args.product,
        date_order=args.date_order,
        settings=import_settings(args),
        lab_columns=dict(args.lab_columns) if getattr(args, "lab_columns", None) else None,
        lab_dictionary=getattr(args, "lab_dictionary", None),
    )
    case = _leave_out(case, args)
    if not case.cycles:
        raise InputError(f"nothing to analyse: {case.no_cycles_reason()}", args.infusions)
    return case, None


def _leave_out(case, args):
    """--leave-out TYPE ...: which event types leave a cycle out of the summary; --course-gap DAYS:
    how far apart the doses of one course may be."""
    gap = getattr(args, "course_gap_hours", None)
    if gap is not None and gap != case.rules.course_gap_hours:
        from dataclasses import replace

        case = case.with_rules(replace(case.rules, course_gap_hours=gap))
    kinds = getattr(args, "leave_out", None)
    if kinds is None:
        return case
    from dataclasses import asdict

    from analysis.rules.cycles import CycleRules

    others = {k: v for k, v in asdict(case.rules).items() if k not in ("exclude_infection", "leave_out")}
    return case.with_rules(CycleRules.leaving_out([k for k in kinds if k != "none"], **others))


def _readable(case):
    """A long record's default window (analysis.figure.defaults.readable_window), said."""
    from analysis.figure.defaults import readable_window, window_note

    shown = readable_window(case)
    if shown is not case:
        print(f"note: {window_note(case, shown)}", file=sys.stderr)
    return shown


def _warn(case) -> list[str]:
    warnings = case.fit_warnings()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in case.treatment_notes():
        print(f"note: {note}", file=sys.stderr)
    return warnings


def summary_json(case) -> dict:
    from analysis.treatment.medications import course_label

    cycles = []
    for c in case.cycles:
        cycles.append(
            {
                "number": c.number,
                "start": _iso(c.start),
                "end": _iso(c.end),
                "pre": _num(c.pre.value) if c.pre else None,
                "pre_day": c.pre.day if c.pre else None,
                "pre_censored": c.pre.censored if c.pre else None,
                "post": _num(c.post.value) if c.post else None,
                "post_day": c.post.day if c.post else None,
                "post_censored": c.post.censored if c.post else None,
                "nadir": _num(c.nadir.value) if c.nadir else None,
                "nadir_day": c.nadir.day if c.nadir else None,
                "nadir_censored": c.nadir.censored if c.nadir else None,
                "recovery_day": c.recovery_day,
                "infection": c.infection,
                "included": c.included,
                "dose": course_label(c.course),
                "draws": len(c.draws),
            }
        )
    s = case.summary
    stat = lambda st: {"median": _num(st.median), "min": _num(st.min), "max": _num(st.max), "n": st.n,  # noqa: E731
                       "censored": st.censored}
    w = s.wilcoxon
    return {
        "window": {"from": _iso(case.window[0]), "to": _iso(case.window[1])},
        "cycles": cycles,
        "summary": {"pre": stat(s.pre), "post": stat(s.post), "nadir": stat(s.nadir)},
        "wilcoxon": {"statistic": _num(w.statistic), "p": _num(w.p), "n": w.n, "method": w.method, "note": w.note},
        "rules": case.rules.describe(),
        "warnings": case.fit_warnings(),
    }


def cmd_summary(args) -> int:
    case = _load(args)
    if not args.json:
        _warn(case)
    if args.json:
        print(json.dumps(summary_json(case), indent=1, ensure_ascii=False))
    else:
        from analysis.report import summary_report

        print(summary_report(case))
    return 0


FIGURE_SUFFIXES = (".pdf", ".svg", ".eps", ".tif", ".tiff", ".png")


def figure_settings(args, base=None):
    """FigureSettings from the render options (over ``base``, a project's settings), refusing
    what cannot be drawn in plain words."""
    from dataclasses import replace

    from analysis.errors import InputError
    from analysis.figure import PRESETS, FigureSettings, get_preset
    from analysis.figure.fonts import resolve_font
    from analysis.project.limits import LIMITS

    settings = base or FigureSettings()
    if args.axis is not None:
        settings = replace(settings, axis=args.axis)
    if getattr(args, "font", None) is not None:
        resolve_font(args.font)  # an unknown font is refused before the data are read
        settings = replace(settings, font=args.font)
    for name in ("colour", "palette"):
        if getattr(args, name, None) is not None:
            settings = replace(settings, **{name: getattr(args, name)})
    if args.preset:
        if get_preset(args.preset) is None:
            names = ", ".join(p.key for p in PRESETS)
            raise InputError(f"there is no journal preset called {args.preset!r}; choose one of {names}")
        settings = settings.with_preset(args.preset)
    if args.width_mm is not None:
        settings = replace(settings, width_mm=args.width_mm)
    if args.height_mm is not None:
        settings = replace(settings, height_mm=args.height_mm)
    for name in ("width_mm", "height_mm"):
        value = getattr(settings, name)
        lo, hi = LIMITS[name][:2]  # the project file's limits: a figure it could not keep is refused here too
        if not lo <= value <= hi:
            raise InputError(f"a figure {name[:-3]} of {value:g} mm cannot be printed; use {lo} to {hi} mm")
    if args.dpi is not None:
        lo, hi = LIMITS["dpi"][:2]
        if not lo <= args.dpi <= hi:
            raise InputError(f"{args.dpi} dpi is outside {lo}-{hi}; journals ask for 300, 600 or 1200")
        settings = replace(settings, dpi=args.dpi)
    panel_b = (args.panel_b or settings.panel_b).strip().lower()
    if panel_b not in ("auto", "overlay", "none"):
        kind, _, number = panel_b.partition(":")
        if kind != "cycle" or not (number.isascii() and number.isdigit()) or int(number) < 1:  # not "²"
            raise InputError(f"--panel-b {args.panel_b!r} is not understood; "
                             "use cycle:N (e.g. cycle:1), overlay or none")
    return replace(settings, panel_b=panel_b)


def cmd_render(args) -> int:
    from dataclasses import replace

    from analysis.errors import InputError
    from analysis.figure import render_case

    suffix = args.output.suffix.lower()
    if suffix not in FIGURE_SUFFIXES:
        raise InputError(
            f"cannot tell the figure format from {args.output.name!r}; end the name with "
            + ", ".join(FIGURE_SUFFIXES)
        )
    from analysis.figure.colour import check_colour
    from analysis.figure.defaults import first_followed_cycle
    from analysis.figure.render import FORMATS
    from analysis.files import check_output

    # Refused before minutes of reading, whatever name the output reaches an input by (the
    # sources a project names are checked again, by identity, when the figure is written).
    check_output(args.output, "figure", inputs=[getattr(args, n, None) for n in ("labs", "infusions", "events")])
    figure_settings(args)  # refuse bad options before reading any file
    case, saved = _load_with_settings(args)
    if saved is None:  # files, not a project (whose window is the user's): a readable window
        case = _readable(case)
    settings = figure_settings(args, saved)
    check_colour(settings.colour, FORMATS[suffix.lstrip(".")])
    if settings.axis == "dates":
        print("note: calendar dates identify a patient; journals and consent forms usually ask "
              "for days since the first infusion (--axis days)", file=sys.stderr)
    _warn(case)
    if args.panel_b is None and saved is None:
        settings = replace(settings, panel_b=first_followed_cycle(case))
    if settings.panel_b.startswith("cycle:"):
        number = int(settings.panel_b.split(":")[1])
        if number > len(case.cycles):
            raise InputError(
                f"--panel-b asks for cycle {number}, but the window holds {len(case.cycles)} cycles"
            )
    report = render_case(case, settings, args.output)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {args.output.name} ({report.size_mm[0]:g} x {report.size_mm[1]:g} mm, {report.format.upper()})")
    return 0


def cmd_demo(args) -> int:
    from analysis.demo import load_demo

    if args.json or not (args.screenshot is not None or _gui_available()):
        case = load_demo()
    else:
        with collector_paused():  # as cmd_gui: no collections while the GUI starts
            case = load_demo()
            try:
                from desktop.app import run_demo  # the GUI, when present
            except ImportError:
                run_demo = None
            if run_demo is not None:
                return run_demo(case, screenshot=args.screenshot)
    if args.json:
        print(json.dumps(summary_json(case), indent=1, ensure_ascii=False))
        return 0
    from analysis.report import summary_report

    print(summary_report(case))
    return 0


def _gui_available() -> bool:
    if os.environ.get("NADIR_EXIT_WHEN_SHOWN"):  # the start-up benchmark, offscreen
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def cmd_project(args) -> int:
    from .cli_project import cmd_project as write_project

    return write_project(args, _load)


COMMANDS = {"import": cmd_import, "summary": cmd_summary, "render": cmd_render, "demo": cmd_demo,
            "project": cmd_project}


def _gui_args(argv: list[str]):
    """``nadir``, ``nadir PROJECT [--screenshot PATH]`` and ``nadir LAB_EXPORT`` open the GUI (a
    lab export in the import assistant, see desktop.app.run_gui); None for a subcommand."""
    if argv and (argv[0] in COMMANDS or argv[0].startswith("-")):
        return None
    gui = OneLineParser(prog="nadir", description="Open the Nadir window (with a project file or a lab export).")
    gui.add_argument("project", nargs="?", type=Path, metavar="FILE",
                     help="a .nadir project to open, or a lab export (.xlsx, .csv, …) to import")
    gui.add_argument("--screenshot", metavar="PATH", type=Path, help="render the window to a PNG and exit")
    return gui.parse_args(argv)


def cmd_gui(args) -> int:
    # No cyclic garbage collection while the GUI starts: importing Qt, pyqtgraph and pandas and
    # reading the case allocate hundreds of thousands of objects, and the full collections that
    # triggers cost about a tenth of a second and find almost nothing. desktop.app's make_app
    # then leaves it off and collects from a timer on the GUI thread once the event loop runs.
    with collector_paused():
        from desktop.app import run_gui

        return run_gui([args.project] if args.project else [], screenshot=args.screenshot)


def main(argv: list[str] | None = None) -> int:
    from analysis.errors import InputError

    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    gui = _gui_args(argv)
    if gui is not None and gui.screenshot is None and not _gui_available():
        parser.print_help()  # no display: say what the command can do instead
        return 0
    args = gui if gui is not None else parser.parse_args(argv)
    try:
        return cmd_gui(args) if gui is not None else COMMANDS[args.command](args)
    except InputError as exc:
        print(f"nadir: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `nadir import ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug in Nadir: say so plainly, keep the details for a report
        if os.environ.get("NADIR_DEBUG"):
            raise
        print(
            f"nadir: internal error ({type(exc).__name__}: {exc}); "
            "please report it with the command you ran (set NADIR_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
