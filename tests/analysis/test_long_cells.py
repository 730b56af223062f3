"""A cell of 200,000 characters (a damaged or hostile file) is never taken for a heading: it is
looked at by its start only, so it costs what a real heading costs (the fuzz run found such
cells taking 2-3 s of processor time each in the heading patterns)."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.importing.analytes import split_header_unit
from analysis.importing.header_words import fold
from analysis.importing.limits import MAX_HEADING_CHARACTERS
from analysis.importing.observations import import_labs
from analysis.treatment.events import read_events

EVENTS = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn" / "events.csv"
LONG = "Neutrophils (x10^3/uL) " * 10_000


def test_a_long_cell_is_no_heading_with_a_unit():
    assert split_header_unit(LONG) == (LONG.strip(), None)
    assert split_header_unit("ANC (x10^3/uL)") == ("ANC", "x10^3/uL")


def test_a_long_cell_is_folded_by_its_start():
    assert fold(LONG) == fold(LONG[:MAX_HEADING_CHARACTERS])
    assert fold("Fecha_Extracción") == "fecha extraccion"


def test_events_and_labs_with_a_long_cell_in_the_heading_row_are_read_as_without_it(tmp_path):
    rows = list(csv.reader(EVENTS.read_text(encoding="utf-8").splitlines()))
    wide = tmp_path / "events.csv"
    with wide.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[*rows[0], LONG], *[[*r, ""] for r in rows[1:]]])
    assert read_events(wide) == read_events(EVENTS)
    labs = tmp_path / "labs.csv"
    labs.write_text("Date,Test,Result,Unit," + LONG.replace(",", " ") + "\n2022-09-06,ANC,1.2,10^3/uL,\n"
                    "2022-09-13,ANC,0.4,10^3/uL,\n", encoding="utf-8")
    assert import_labs(labs).observations["value"].tolist() == [1.2, 0.4]


def test_a_treatment_record_with_a_long_cell_reads_the_same_administrations(tmp_path):
    from analysis.treatment.actions import meaning
    from analysis.treatment.drugs import find_medication
    from analysis.treatment.medications import read_administrations

    source = Path(__file__).resolve().parents[1] / "data" / "treatment" / "infusionen_de.tsv"
    lines = source.read_text(encoding="cp1252").splitlines()
    lines[1] += "\t" + "Privigen verabreicht " * 25_000  # a 500,000-character cell in a data row
    record = tmp_path / "infusionen.tsv"
    record.write_text("\n".join(lines) + "\n", encoding="cp1252")
    assert [a.time for a in read_administrations(record).administrations] == \
        [a.time for a in read_administrations(source).administrations]
    assert meaning("Given" + " " * 2000 + "not given") == meaning("Given")
    assert find_medication("Privigen 40 g " + "x" * 5000) == find_medication("Privigen 40 g")


def test_the_text_caches_never_keep_a_long_cell():
    from analysis.importing.limits import MAX_PHRASE_CHARACTERS, short_text_cache
    from analysis.importing.values import _parse_text, parse_result

    calls = []

    @short_text_cache(16)
    def length(text: str, *, twice: bool = False) -> int:
        calls.append(text)
        return len(text) * (2 if twice else 1)

    long = "x" * (MAX_PHRASE_CHARACTERS + 1)
    assert [length("abc"), length("abc"), length(long), length(long), length(text=long, twice=True)] == \
        [3, 3, len(long), len(long), 2 * len(long)]
    assert calls == ["abc", long, long, long]  # the short text once, the long one every time
    assert length.cache_info().currsize == 1
    before = _parse_text.cache_info().currsize
    assert parse_result("1" * 200_000) == parse_result("1" * 200_000)
    assert _parse_text.cache_info().currsize == before
