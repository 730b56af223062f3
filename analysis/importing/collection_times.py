"""The collection time of every result cell, each distinct date (and time) parsed once."""

from __future__ import annotations

from analysis.errors import ChoiceRequired, InputError
from analysis.importing import dates
from analysis.importing.cells import Cells

DATE_ORDER_HINT = "Use the import assistant (or --date-order MDY or --date-order DMY)."


def parse_times(cells: Cells, path, date_system: int, date_order: str | None):
    """Per cell (time or None, date_only), the date order used and warnings.

    Raises ChoiceRequired naming the file when the day/month order cannot be told.
    """
    if cells.clock is not None:
        pairs = list(zip(cells.when, cells.clock, strict=True))
        unique = list(dict.fromkeys(pairs))
        whens = [w for w, _ in unique]
    else:
        pairs = cells.when
        unique = whens = list(dict.fromkeys(pairs))
    try:
        column = dates.parse_datetime_column(whens, order=date_order, system=date_system)
        if cells.clock is not None:
            column = dates.combine_date_time(column, [c for _, c in unique])
    except ChoiceRequired as exc:
        raise ChoiceRequired(
            exc.message,
            path,
            exc.hint or DATE_ORDER_HINT,
            kind=exc.kind,
            options=exc.options,
        ) from None
    except InputError as exc:
        raise InputError(exc.message, path, exc.hint) from None
    # dates gives naive datetimes (None where unreadable) and one date_only flag per value
    lookup = dict(zip(unique, zip(column.times, column.date_only, strict=True), strict=True))
    out = [lookup[p] for p in pairs]
    notes = []
    bad_clocks = getattr(column, "bad_times", None)
    if bad_clocks and cells.clock is not None:
        unreadable = {unique[i] for i in bad_clocks}
        n = sum(1 for p in pairs if p in unreadable)
        example = unique[bad_clocks[0]][1]
        notes.append(
            f"{n} time{'s' if n != 1 else ''} of day could not be read (e.g. {str(example)!r}); "
            f"{'those results keep' if n != 1 else 'that result keeps'} the date alone"
        )
    return out, getattr(column, "order", None), notes
