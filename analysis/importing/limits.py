"""The limits Nadir puts on the files it reads, in one place (the user guide states them).

Lab exports are small: a patient's blood counts over years fill a few thousand rows. The limits
sit far above that and far below what would hurt the computer, so a damaged or hostile file is
refused in plain words instead of taking memory or minutes.
"""

from __future__ import annotations

import functools

FIRST_YEAR, LAST_YEAR = 1900, 2200  # a date outside is a skipped row with the reason (importing.dates)
MAX_FILE_BYTES = 200 * 1024 * 1024  # far beyond any lab export; a bigger file is a mistake
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # total size of a workbook's parts once inflated

# Excel's own grid: nothing real lies beyond it, and calamine sizes its grid from the last cell.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# A sheet is read as a full rectangle from A1 to its last cell; this many cells is ~40x the
# largest lab export seen and still fits the reader's memory with room to spare.
MAX_CELLS = 5_000_000

# The workbook parser runs in a child process (analysis.importing.sandbox) with these limits.
PARSE_CPU_SECONDS = 30  # processor time for opening and reading every sheet (where the OS caps it)
PARSE_SECONDS = 120.0  # wall clock, the watchdog everywhere: generous, as a busy computer is slow
PARSE_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the reading process (where the OS caps it)
PARSE_RESULT_BYTES = 400 * 1024 * 1024  # the cells handed back, serialised

# No column heading or test name is longer. Text beyond it is not looked at as one: a cell of
# 200,000 characters (a damaged or hostile file) would otherwise cost seconds in each pattern
# that tries every start position against the rest.
MAX_HEADING_CHARACTERS = 300
# The same for the words of a cell read by content (an action, a medication and its dose): longer
# than any real one ("immune globulin 10% (Privigen) IV solution 40 g in NaCl 0.9% 400 mL over
# 4 h, premedicate ..."), read by its start.
MAX_PHRASE_CHARACTERS = 1000

# A CSV field longer than this is not a lab result (Python's csv default is 131,072).
MAX_CSV_FIELD = 1_000_000



def short_text_cache(maxsize: int):
    """``functools.lru_cache`` for the functions that look at a cell's text, except that a call
    with a text longer than ``MAX_PHRASE_CHARACTERS`` runs uncached: the caches hold thousands of
    entries for the whole session, and a few hostile files of 500,000-character cells would
    otherwise keep gigabytes alive in them. The result is the same either way."""

    def wrap(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args, **kwargs):
            for value in (*args, *kwargs.values()):
                if isinstance(value, str) and len(value) > MAX_PHRASE_CHARACTERS:
                    return function(*args, **kwargs)
            return cached(*args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call

    return wrap
