"""A project can name any path as a source (it is a text file anyone can edit): one that fails
while it is read, or never ends, is one message naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.project import store
from tests.fuzz.projects import seed_project

MEM = Path("/proc/self/mem")  # a "regular" file of size 0 whose reading fails (EIO)


@pytest.mark.skipif(not MEM.exists(), reason="Linux /proc only")
def test_a_source_that_fails_while_it_is_hashed_is_a_message(tmp_path):
    data = seed_project(tmp_path)
    data["sources"]["events"]["path"] = str(MEM)
    project = tmp_path / "case.nadir"
    project.write_text(json.dumps(data))
    with pytest.raises(InputError, match="mem: could not be read"):
        store.open_project(project)


def test_a_source_that_grows_past_the_limit_while_it_is_hashed_is_refused(tmp_path, monkeypatch):
    source = tmp_path / "labs.csv"
    source.write_bytes(b"x" * 3 * (1 << 20))
    monkeypatch.setattr(store, "MAX_FILE_BYTES", 2 * (1 << 20))
    monkeypatch.setattr(Path, "stat", _claims_zero_bytes(Path.stat))  # as a /proc file does
    with pytest.raises(InputError, match=r"labs\.csv: is too large to be a lab export, or never ends"):
        store.sha256_file(source)


def _claims_zero_bytes(real_stat):
    class Zero:
        def __init__(self, stat):
            self._stat = stat

        def __getattr__(self, name):
            return 0 if name == "st_size" else getattr(self._stat, name)

    return lambda self, **kw: Zero(real_stat(self, **kw))
