"""Broken and hostile files are refused with a plain InputError, without eating memory.

Each file is imported in a child process (so a file that did blow up could not take the test
run with it) whose address space is capped; the child reports what it raised, and the parent
reads the child's peak memory. How long a refusal takes is measured in
benchmarks/bench_refusals.py, not here.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "data" / "broken"

PEAK_BYTES = 600 * 1024 * 1024  # "well under 1 GB", interpreter and pandas included
ADDRESS_CAP = 3 * 1024 * 1024 * 1024  # a safety net for the test machine, not the measured limit

CHILD = textwrap.dedent(
    """
    import json, sys
    from analysis.errors import InputError
    from analysis.importing.observations import import_labs
    try:
        import_labs(sys.argv[1])
    except InputError as exc:
        out = {"error": type(exc).__name__, "message": str(exc)}
    except BaseException as exc:
        out = {"error": "unexpected " + type(exc).__name__, "message": repr(exc)[:500]}
    else:
        out = {"error": None, "message": ""}
    print(json.dumps(out))
    """
)

EXPECTED = {
    "not_really_excel.xlsx": "is not an Excel workbook (it looks like a text file)",
    "truncated.xlsx": "is damaged or incomplete",
    "header_only.xlsx": "has column headings but no results",
    "no_neutrophils.xlsx": (
        "has no neutrophil counts (ANC), and no white cell count with a neutrophil percentage "
        "to derive one from"
    ),
    "entity_bomb.xlsx": "contains content that could harm the computer (XML entity expansion)",
    "inflating.xlsx": "contains content that could harm the computer",
}


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_CAP, ADDRESS_CAP))


def run_child(path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_cap_memory,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_broken_file_is_covered():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_refused_small_and_untouched(name):
    path = BROKEN / name
    before = path.read_bytes(), path.stat().st_mtime_ns
    out = run_child(path)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KiB
    assert out["error"] == "InputError", out
    assert name in out["message"]
    assert EXPECTED[name] in out["message"]
    assert "Traceback" not in out["message"]
    assert peak < PEAK_BYTES
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
