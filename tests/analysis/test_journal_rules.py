"""The figure checked against its journal preset's rules: text sizes, the thinnest line and the
raster resolution; warnings in the dialog and from render, a refusal where journals reject."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.figure import FigureSettings, build_figure, render
from analysis.figure.journal_rules import journal_warnings
from analysis.figure.presets import PRESETS

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "data" / "ivig-mmn"


def test_every_preset_s_defaults_keep_its_rules(case):
    for preset in PRESETS:
        spec = build_figure(case, FigureSettings(panel_b="auto").with_preset(preset.key))
        assert journal_warnings(spec) == [], preset.key
        letters = [t for p in spec.panels for t in p.texts if t.kind == "letter"]
        assert all(t.size_pt <= max(preset.font_pt[1], preset.letter_pt or 0) for t in letters), preset.key


def test_text_and_lines_outside_the_rules_are_named(case):
    nature = FigureSettings(panel_b="auto").with_preset("nature-single")
    big = journal_warnings(build_figure(case, replace(nature, font_pt=8.0)))
    assert any("Nature asks for text of at most 7 pt; some text is 8 pt" in w for w in big), big
    thin = journal_warnings(build_figure(case, replace(nature.with_preset("cell-single"), line_scale=0.5)))
    assert any("Cell asks for lines of at least 0.5 pt; the thinnest line is 0.3 pt" in w for w in thin), thin


def test_render_warns_below_the_presets_dpi_and_refuses_below_300(case, tmp_path):
    spec = build_figure(case, FigureSettings(panel_b="auto").with_preset("elsevier-single"))
    report = render(spec, tmp_path / "f.png", dpi=300)
    assert any("Elsevier asks for 500 dpi" in w for w in report.warnings), report.warnings
    with pytest.raises(InputError, match="Elsevier does not accept raster figures below 300 dpi"):
        render(spec, tmp_path / "g.png", dpi=200)
    assert not (tmp_path / "g.png").exists()


def test_the_command_line_refuses_with_exit_2(tmp_path):
    out = tmp_path / "f.tif"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "render", str(CASE / "labs.xlsx"), "--infusions",
         str(CASE / "infusions.xlsx"), "--preset", "blood-single", "--dpi", "150", "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Blood does not accept raster figures below 300 dpi" in proc.stderr and "--dpi 600" in proc.stderr
    assert not out.exists()


def test_nature_takes_300_dpi_as_its_guide_says(case, tmp_path):
    # Nature's figure guide: images at 300 dpi at least (450 dpi for the sharpest online proof).
    spec = build_figure(case, FigureSettings(panel_b="auto").with_preset("nature-single"))
    assert not any("dpi" in w for w in render(spec, tmp_path / "f.png", dpi=300).warnings)
    with pytest.raises(InputError, match="Nature does not accept raster figures below 300 dpi"):
        render(spec, tmp_path / "g.png", dpi=250)
