"""Test names, column headers and LOINC codes from many systems and languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.importing.analytes import (
    ANALYTE_SYNONYMS,
    LOINC,
    identify,
    resolve_mapping,
    split_header_unit,
)
from analysis.errors import InputError
from analysis.model import ANALYTES, ANC, BAND_PCT, HGB, LYMPH, NEUT_PCT, PLT, WBC

NAMES = {
    ANC: [
        "ANC", "anc", "Absolute Neutrophil Count", "NEUTROPHILS ABSOLUTE", "Neutrophils Absolute",
        "ABSOLUTE NEUTROPHILS", "Neut #", "NEUT#", "Neutrophils (absolute)", "Neutrophils, Abs",
        "Segs absolute", "Granulocytes abs", "Neutrophile abs.", "Neutrophile Granulozyten absolut",
        "Neutrophile (abs)", "Polynucléaires neutrophiles", "PNN", "Neutrophiles (valeur absolue)",
        "Neutrófilos absolutos", "Recuento absoluto de neutrófilos", "Neutrófilos #",
        "ANC (x10^3/uL)", "ANC [10*3/uL]", "751-8 Neutrophils [#/volume] in Blood by Automated count",
        "Neutrophils [#/volume] in Blood", "753-4", "26499-4", "LOINC 751-8", "Neutrophil count",
        "NEU#", "Abs. Neutrophils", "Neutrophils (10^9/L)", "ANC/AGC",
        "Neutrofili assoluti", "Neutrofielen (abs)", "Neutrofielen absoluut",
        "Nøytrofile granulocytter (10^9/L)",
    ],
    WBC: [
        "WBC", "White blood cell count", "WHITE BLOOD CELL COUNT", "White Blood Cells", "Leukocytes",
        "Leukozyten", "Leukos", "Leucocytes", "Globules blancs", "Leucocitos", "Glóbulos blancos",
        "WBC [10*3/uL]", "WBC (x10^3/uL)", "6690-2", "26464-8",
        "Leukocytes [#/volume] in Blood by Automated count", "Globuli bianchi", "Leucociti",
        "Glóbulos brancos",
    ],
    NEUT_PCT: [
        "Neutrophils %", "NEUTROPHILS %", "Neut %", "Neut%", "Segmented neutrophils %",
        "Neutrophils/100 leukocytes (segmented)", "Neutrophile %", "Neutrophile rel.",
        "Neutrófilos %", "Neutrophils/100 leukocytes in Blood by Automated count", "770-8",
        "26511-6", "Neutrophiles (%)", "Segs %",
    ],
    BAND_PCT: [
        "Bands %", "Band neutrophils/100 leukocytes", "Stabkernige", "Bandas", "BANDS", "764-1",
        "26508-2", "Stabkernige Neutrophile %", "Bastonetes %",
    ],
    LYMPH: [
        "LYMPHOCYTES ABSOLUTE", "Lymph #", "Lymphozyten abs.", "Lymphocytes (valeur absolue)",
        "Linfocitos absolutos", "Absolute lymphocyte count", "731-0", "Linfociti assoluti",
        "Lymfocyten (abs)",
    ],
    HGB: [
        "HGB", "Hb", "Hemoglobin", "HEMOGLOBIN", "Haemoglobin", "Hämoglobin", "Hémoglobine",
        "Hemoglobina", "HGB (g/dL)", "Hb g/dL", "718-7",
    ],
    PLT: [
        "PLT", "Platelets", "PLATELETS", "Platelet count", "Thrombozyten", "Thrombos", "Plaquettes",
        "Plaquetas", "PLT (x10^3/uL)", "777-3", "Trombocyten", "Piastrine",
    ],
}


@pytest.mark.parametrize(
    "name, code", [(name, code) for code, names in NAMES.items() for name in names]
)
def test_known_names(name, code):
    assert identify(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "Neutrophil antibody", "Lymphocyte subset CD4", "CD4 lymphocytes absolute", "Reticulocytes",
        "Immature granulocytes %", "IG %", "MCH", "MCHC", "MCV", "Hematocrit", "Mean platelet volume",
        "MPV", "Platelet antibody", "Hemoglobin A1c", "HbA1c", "Lymphocytes %", "Lymphocytes/100 leukocytes",
        "Eosinophils #", "Monocytes absolute", "Basophils %", "RBC", "Red blood cell count",
        "Neutrophil/lymphocyte ratio", "Leukocytes, urine", "Leukocyte esterase",
        "CSF neutrophils", "Neutrophils", "Granulocytes", "Methemoglobin", "Free hemoglobin",
        "Reticulocyte hemoglobin", "Large platelets", "Platelet function", "Sodium", "CRP",
        "Collected", "Result", "", "   ", "Patient", "Atypical lymphocytes",
    ],
)
def test_names_that_are_something_else(name):
    assert identify(name) is None


@pytest.mark.parametrize(
    "name, unit, code",
    [
        ("Neutrophils", "%", NEUT_PCT),
        ("Neutrophils", "K/uL", ANC),
        ("Neutrophils", "cells/uL", ANC),
        ("Neutrophile Granulozyten", "G/l", ANC),
        ("Neutrophile Granulozyten", "%", NEUT_PCT),
        ("Segs", "%", NEUT_PCT),
        ("Polys", "/100 WBC", NEUT_PCT),
        ("Lymphocytes", "10^9/L", LYMPH),
        ("Lymphocytes", "%", None),
        ("Bands", "%", BAND_PCT),
        ("Bands", "K/uL", None),  # absolute bands are not kept
        ("PNN", "%", NEUT_PCT),
        ("ANC", "%", None),  # contradictory: better unmapped than wrong
        ("Neutrophils", None, None),
        ("Neutrophils", "banana", None),
    ],
)
def test_unit_settles_count_versus_percent(name, unit, code):
    assert identify(name, unit) == code


def test_words_beat_the_unit_when_they_are_explicit():
    # A mislabelled unit does not turn "Neutrophils %" into a count.
    assert identify("Neutrophils %", "K/uL") == NEUT_PCT
    assert identify("Neutrophils absolute", "%") == ANC


def test_loinc_codes_all_map():
    for code, analyte in LOINC.items():
        assert identify(code) == analyte
        assert identify(f"{code} something") == analyte
    assert identify("1234-5") is None


def test_every_listed_synonym_is_recognised():
    for code, names in ANALYTE_SYNONYMS.items():
        assert code in ANALYTES
        for name in names:
            unit = None
            assert identify(name, unit) == code, name


@pytest.mark.parametrize(
    "header, expected",
    [
        ("WBC (x10^3/uL)", ("WBC", "x10^3/uL")),
        ("ANC [10*3/uL]", ("ANC", "10*3/uL")),
        ("HGB (g/dL)", ("HGB", "g/dL")),
        ("Neutrophile abs. (G/l)", ("Neutrophile abs.", "G/l")),
        ("ANC, K/uL", ("ANC", "K/uL")),
        ("ANC", ("ANC", None)),
        ("Neutrophils (absolute)", ("Neutrophils (absolute)", None)),
        ("Neut %", ("Neut %", None)),
        ("Neut #", ("Neut #", None)),
        ("Date (local)", ("Date (local)", None)),
        ("", ("", None)),
    ],
)
def test_split_header_unit(header, expected):
    assert split_header_unit(header) == expected


def test_split_header_unit_may_keep_a_trailing_unit_whole_but_identify_copes():
    name, unit = split_header_unit("Hb g/dL")
    assert name in ("Hb", "Hb g/dL")
    assert identify("Hb g/dL") == HGB


def test_resolve_mapping():
    mapping = {
        "Col A": "ANC", "Col B": "anc", "Col C": "neutrophils %", "Col D": "Neutrophils %",
        "Col E": "Hemoglobin", "Col F": "platelets", "Col G": "ignore", "Col H": "WBC",
        "Col I": "band_pct", "Col J": "Lymphocytes",
    }
    assert resolve_mapping(mapping) == {
        "Col A": ANC, "Col B": ANC, "Col C": NEUT_PCT, "Col D": NEUT_PCT, "Col E": HGB,
        "Col F": PLT, "Col G": "", "Col H": WBC, "Col I": BAND_PCT, "Col J": LYMPH,
    }


def test_resolve_mapping_rejects_unknown_targets_in_plain_words():
    with pytest.raises(InputError) as info:
        resolve_mapping({"Col A": "CRP"})
    assert "CRP" in str(info.value) and "ANC" in str(info.value)


# --- properties -----------------------------------------------------------------------------

all_names = [(n, c) for c, names in NAMES.items() for n in names if not n[0].isdigit()]


def _recase(text: str, pattern: list[bool]) -> str:
    return "".join(ch.upper() if up else ch.lower() for ch, up in zip(text, pattern + [False] * len(text)))


@settings(max_examples=200, deadline=None)
@given(
    pair=st.sampled_from(all_names),
    pattern=st.lists(st.booleans(), max_size=60),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_case_and_surrounding_space_do_not_matter(pair, pattern, pad):
    name, code = pair
    assert identify(pad + _recase(name, pattern) + pad) == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=10)))
def test_identify_never_raises(name, unit):
    assert identify(name, unit) in (None, *ANALYTES)
    head, unit_part = split_header_unit(name)
    assert isinstance(head, str) and (unit_part is None or isinstance(unit_part, str))


@pytest.mark.parametrize(("name", "unit", "code"), [
    ("好中球数", None, "ANC"), ("好中球", "10^3/uL", "ANC"), ("好中球", "%", "NEUT_PCT"),
    ("好中球比率", None, "NEUT_PCT"), ("白血球数", None, "WBC"), ("リンパ球数", None, "LYMPH"),
    ("ヘモグロビン", None, "HGB"), ("血色素量", None, "HGB"),
    ("血小板数", None, "PLT"), ("桿状核球", "%", "BAND_PCT"),
    ("中性粒细胞绝对值", None, "ANC"), ("中性粒细胞百分比", None, "NEUT_PCT"), ("白细胞计数", None, "WBC"),
    ("호중구 절대수", None, "ANC"), ("백혈구", None, "WBC"),
    ("総蛋白", None, None), ("数", None, None),
])
def test_japanese_chinese_and_korean_names(name, unit, code):
    assert identify(name, unit) == code


def test_a_name_without_unit_is_the_count_when_its_values_exceed_100():
    from analysis.importing.analytes import count_by_values

    assert count_by_values("Neutrophils", ["1400", "850", 60]) == "ANC"
    assert count_by_values("Neutrophils", ["45", "60.5"]) is None  # a percentage or a count: undecided
    assert count_by_values("ANC", ["1400"]) is None  # decided by its name already
    assert count_by_values("Hemoglobin", ["120"]) is None
