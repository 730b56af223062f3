"""Acceptance: treatment records of systems not in tests/data/treatment, read as a new user brings them.

tests/data/treatment_corpus/ is written by tests/data/make_treatment_corpus.py: MIMIC-IV emar,
OMOP DRUG_EXPOSURE, Oracle Health MED_ADMIN_EVENT, VistA BCMA with FileMan dates, a Swedish
record, a dispensing cabinet's report ("Removed", "Returned"), a diversion reconciliation
(removals beside administrations), an Epic Clarity extract with LINE numbers, a Brazilian and
a Polish record. Each must give its six IVIG doses without editing the file, and list the dose
that was not given as skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.treatment.medications import read_administrations

CORPUS = Path(__file__).resolve().parents[1] / "data" / "treatment_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_record_gives_its_doses(name):
    want = EXPECTED[name]
    got = read_administrations(CORPUS / name, **want["options"])
    assert got.product == want["product"]
    assert [[a.time.isoformat(timespec="minutes"), a.product, a.dose, a.dose_unit] for a in got.administrations] \
        == want["administrations"]
    assert len(got.skipped) == want["skipped"], [s.reason for s in got.skipped]
    assert all("not given" in s.reason for s in got.skipped)


def test_the_time_of_day_column_wins_over_the_date_column_of_the_same_name():
    got = read_administrations(CORPUS / "omop_drug_exposure.csv")
    assert got.detection.columns  # the columns read are reported
    assert dict(got.detection.columns)["when"] == "drug_exposure_start_datetime"


def test_bcma_codes_beside_a_units_column_are_actions():
    got = read_administrations(CORPUS / "vista_bcma_fileman.csv")
    assert dict(got.detection.columns)["action"] == "ACTION STATUS"
    assert [s.reason for s in got.skipped] == ["marked 'held': the dose was not given"]
