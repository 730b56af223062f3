"""The lint and type gates (.ci/ratchet.py): ruff and mypy may not find more than the baseline.

Runs in the README's test command, so that a change which adds a finding fails here and not
only in CI. The comparison itself is tested on made-up counts, so the gate is known to bite.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ratchet():
    spec = importlib.util.spec_from_file_location("ratchet", ROOT / ".ci" / "ratchet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_count_above_the_baseline_fails_and_one_below_asks_to_lower_it():
    ratchet = _ratchet()
    failures, notes = ratchet.compare({"ruff": 11, "mypy": 5}, {"ruff": 10, "mypy": 5})
    assert failures == ["ruff: 11 findings, 1 more than the baseline of 10"] and notes == []
    failures, notes = ratchet.compare({"ruff": 8, "mypy": 5}, {"ruff": 10, "mypy": 5})
    assert failures == [] and len(notes) == 1 and "--update" in notes[0]
    failures, _ = ratchet.compare({"ruff": 1}, {})  # a tool without a baseline allows none
    assert failures


@pytest.mark.slow
def test_ruff_and_mypy_find_no_more_than_the_baseline():
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "ratchet.py")], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
