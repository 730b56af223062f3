"""Acceptance: lab exports of systems not in tests/data/layouts, read as a new user brings them.

tests/data/lab_corpus/ is written by tests/data/make_lab_corpus.py (Oracle Health CLINICAL_EVENT,
OMOP MEASUREMENT, VistA with FileMan dates, Meditech Expanse, Sunrise, athenahealth,
eClinicalWorks, NextGen, Swiss/German, Italian, Spanish, Dutch, Japanese and Swedish exports,
made-up headings). Each must give the ANC series it was written with, without editing the file and
without options.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.importing.observations import import_labs

CORPUS = Path(__file__).resolve().parents[1] / "data" / "lab_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_covers_many_systems():
    assert len(EXPECTED) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_gives_its_anc_series(name):
    labs = import_labs(CORPUS / name, mapping=EXPECTED[name].get("mapping"))
    s = labs.series("ANC")
    got = [[t.isoformat(timespec="minutes"), round(float(v), 6)]
           for t, v in zip(s["time"].dt.to_pydatetime(), s["value"], strict=True)]
    assert got == EXPECTED[name]["anc"]


def test_the_draw_time_wins_over_a_date_without_time_and_a_verified_time():
    omop = import_labs(CORPUS / "omop_measurement.csv")
    assert omop.detection.columns["time"] == "measurement_datetime"
    cerner = import_labs(CORPUS / "cerner_clinical_event.csv")
    assert cerner.detection.columns["time"] == "EVENT_END_DT_TM"


def test_the_component_column_wins_over_the_panel_column():
    ecw = import_labs(CORPUS / "ecw_labs.csv")
    assert ecw.detection.columns["test"] == "Attribute"
    assert len(ecw.series("NEUT_PCT")) == 12
