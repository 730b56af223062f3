"""The lint and type gates as a ratchet: ruff on the repository, mypy on analysis/.

Both tools find things in code written before they ran here. Fixing all of it at once would
touch every file while others edit them, so .ci/ratchet.json holds how many findings each tool
has now, and this script fails when a count rises above it: new code brings no new findings.
When a count falls, it says so; run ``python .ci/ratchet.py --update`` to write the lower
numbers, so that they cannot rise again. Raising a baseline is an edit by hand, in a commit
that says why.

    uv run --locked python .ci/ratchet.py            # check (exit 1 when a count rose)
    uv run --locked python .ci/ratchet.py --update   # after fixing findings: lower the baseline
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / ".ci" / "ratchet.json"
SHOW = 40  # findings listed when a count rose


def ruff_findings() -> list[str]:
    """One line per finding: "path:line:col: CODE message"."""
    out = _run([sys.executable, "-m", "ruff", "check", "--output-format=concise", "--exit-zero", "--no-fix", "."])
    return [line for line in out.splitlines() if re.match(r"^[^\s:][^:]*:\d+:\d+: ", line)]


def mypy_findings() -> list[str]:
    """One line per error (notes attached to an error are not counted)."""
    out = _run([sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", "--hide-error-context"])
    return [line for line in out.splitlines() if ": error: " in line]


TOOLS = {"ruff": ruff_findings, "mypy": mypy_findings}


def _run(command: list[str]) -> str:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: findings; anything else: the tool itself failed
        raise SystemExit(f"{' '.join(command[2:])} failed (exit {done.returncode}):\n{done.stderr or done.stdout}")
    return done.stdout


def _changed_files() -> set[str]:
    """Files changed on this branch since main, committed or not (empty on main itself)."""
    names: set[str] = set()
    for command in (["git", "diff", "--name-only", "main...HEAD"], ["git", "diff", "--name-only", "HEAD"]):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            names.update(done.stdout.split())
    return names


def compare(counts: dict[str, int], baseline: dict[str, int]) -> tuple[list[str], list[str]]:
    """(failures, notes): a count above its baseline fails; one below it asks for --update."""
    failures, notes = [], []
    for tool, count in counts.items():
        allowed = baseline.get(tool, 0)
        if count > allowed:
            failures.append(f"{tool}: {count} findings, {count - allowed} more than the baseline of {allowed}")
        elif count < allowed:
            notes.append(
                f"{tool}: {count} findings, {allowed - count} fewer than the baseline of {allowed}: "
                "run `python .ci/ratchet.py --update` and commit .ci/ratchet.json"
            )
    return failures, notes


def main(argv: list[str]) -> int:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    findings = {tool: find() for tool, find in TOOLS.items()}
    counts = {tool: len(lines) for tool, lines in findings.items()}
    failures, notes = compare(counts, baseline)
    if "--update" in argv:
        if failures:
            print("not updated: a count rose (fix the new findings; raise a baseline only by hand)")
        else:
            BASELINE.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
            print(f"baseline written: {counts}")
            notes, baseline = [], counts
    for note in notes:
        print(note)
    changed = _changed_files()
    for failure in failures:
        tool = failure.split(":")[0]
        print(failure)
        lines = findings[tool]
        mine = [line for line in lines if line.split(":")[0] in changed]
        if mine:
            print(f"  the {tool} findings in the files changed since main (the new ones are among them):")
            lines = mine
        else:
            print(f"  the {tool} findings (`{'ruff check .' if tool == 'ruff' else 'mypy'}` lists them all):")
        for line in lines[:SHOW]:
            print(f"    {line}")
        if len(lines) > SHOW:
            print(f"    ... and {len(lines) - SHOW} more")
    if not failures:
        print("ratchet: " + ", ".join(f"{t} {counts[t]} (baseline {baseline.get(t, 0)})" for t in counts))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
