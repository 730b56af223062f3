"""Fixtures shared by the analysis tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


def load_references():
    """tests/data/make_references.py, which also defines the reference case and images."""
    spec = importlib.util.spec_from_file_location("make_references", DATA / "make_references.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def refs():
    return load_references()


@pytest.fixture(scope="session")
def case(refs):
    """The ivig-mmn reference case over the published window."""
    return refs.reference_case()


def pytest_generate_tests(metafunc):
    # One test per reference image, named after it.
    if "reference_name" in metafunc.fixturenames:
        metafunc.parametrize("reference_name", sorted(load_references().REFERENCES))
