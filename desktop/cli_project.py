"""``nadir project`` and the project side of ``nadir summary`` and ``nadir render``.

``nadir project OUT.nadir LABS --infusions MAR ...`` reads the files with the same arguments
``summary`` and ``render`` take and writes the project the window would save: the import
settings of each file (the automatic decisions included), the window and the default figure
settings. ``summary`` and ``render`` given a ``.nadir`` file instead of a lab export work on the
project as the window shows it: its import choices, edits (events, exclusions, corrected
infusions), window and figure settings; ``--from``/``--to`` and the figure options override.
No Qt is imported here.
"""

from __future__ import annotations

from pathlib import Path

from analysis.project.recovery import SUFFIX

# Options that say how to read files; a project has already said it.
FILE_OPTIONS = (("infusions", "--infusions"), ("events", "--events"), ("mapping", "--map"),
                ("patient", "--patient"), ("product", "--product"), ("date_order", "--date-order"),
                ("lab_columns", "--lab-column"), ("infusion_columns", "--infusion-column"),
                ("infusion_actions", "--infusion-action"),
                ("event_columns", "--event-column"), ("lab_dictionary", "--lab-dictionary"))


def is_project(path: Path | None) -> bool:
    return path is not None and Path(path).suffix.lower() == SUFFIX


def import_settings(args):
    """The import settings the command-line options ask for (None: decide from the files)."""
    from analysis.case import ImportSettings
    from analysis.importing.settings import LabImportSettings
    from analysis.treatment.settings import EventImportSettings, InfusionImportSettings

    mapping = dict(getattr(args, "mapping", None) or [])
    infusion_columns = dict(getattr(args, "infusion_columns", None) or [])
    event_columns = dict(getattr(args, "event_columns", None) or [])
    lab_columns = dict(getattr(args, "lab_columns", None) or [])
    infusion_actions = dict(getattr(args, "infusion_actions", None) or [])
    if not (mapping or infusion_columns or event_columns or lab_columns or infusion_actions):
        return None
    infusions = InfusionImportSettings(columns=infusion_columns, actions=infusion_actions) \
        if infusion_columns or infusion_actions else None
    return ImportSettings(labs=LabImportSettings(mapping=mapping, columns=lab_columns),
                          infusions=infusions,
                          events=EventImportSettings(columns=event_columns) if event_columns else None)


def open_for_command(args):
    """(case, figure settings) of the project ``args.labs``, with --from/--to in force."""
    from analysis.errors import InputError
    from analysis.project.store import open_project

    given = [flag for name, flag in FILE_OPTIONS if getattr(args, name, None)]
    if given:
        raise InputError(
            f"{' and '.join(given)} cannot be used with a project, which names its own files and "
            "import choices", args.labs,
            "Give the lab export instead of the project, or leave the option out.")
    opened = open_project(args.labs)
    for warning in opened.warnings:
        print_warning(warning)
    case = opened.case
    start, end = case.window
    if args.start is not None or args.end is not None:
        case = case.with_window(args.start if args.start is not None else start,
                                args.end if args.end is not None else end)
    return case, opened.settings


def print_warning(text: str) -> None:
    import sys

    print(f"warning: {text}", file=sys.stderr)


def cmd_project(args, load) -> int:
    """Write the project of the files in ``args``; ``load`` is the command line's case loader."""
    from analysis.errors import InputError
    from analysis.figure.defaults import default_settings
    from analysis.project.store import save_project

    out = Path(args.output)
    if not is_project(out):
        raise InputError(f"a project file's name ends with {SUFFIX}", out, f"Write it as {out.stem}{SUFFIX}.")
    inputs = [p for p in (args.labs, args.infusions, args.events) if p is not None]
    if any(out.resolve() == Path(p).resolve() for p in inputs):
        raise InputError("is one of the files read; Nadir never writes over its inputs", out,
                         "Choose another name for the project.")
    if not out.parent.exists():
        raise InputError(f"the folder for {out.name} does not exist", out.parent)
    from analysis.figure.defaults import readable_window

    case = readable_window(load(args))  # a long record starts on a readable window, as in render
    sources = {"labs": args.labs, "infusions": args.infusions, "events": args.events}
    save_project(out, case, default_settings(case), sources={k: v for k, v in sources.items() if v is not None})
    print(f"wrote {out.name} ({len(case.cycles)} cycles, {len(case.anc)} neutrophil counts)")
    return 0
