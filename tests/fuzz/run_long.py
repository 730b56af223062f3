"""The long fuzz run: thousands of hostile workbooks, projects and command lines.

    nice -n 10 uv run python tests/fuzz/run_long.py --files 10000 --projects 1000 --cli 300 \
        [--minutes M] [--out fuzz.json] [--keep DIR]
    uv run python tests/fuzz/run_long.py --merge a.json b.json ...   # shards run side by side

On a machine with cores to spare, shards (separate runs, each drawing its own random cases) cover
the same number of cases sooner; ``--merge`` adds their summaries up and prints the README table.

Targets are interleaved in rounds (200 workbooks, 20 projects, 6 command lines) and the summary
is rewritten after every round, so a run stopped by --minutes (or by hand) still reports what it
covered.

Cases come from the same hypothesis strategies as the short run in the test suite
(tests/fuzz/test_fuzz_short.py), generated without shrinking so that every case is counted. For
each target it prints how many cases were read, refused and crashed, the slowest case, the
largest memory of the workbook-reading process and of this process, and every crash with its
traceback's last lines; the figures go into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.fuzz import harness  # noqa: E402
from tests.fuzz.mutations import workbook_cases  # noqa: E402
from tests.fuzz.projects import FILE_EDITS, cli_cases, project_cases, seed_project  # noqa: E402

RESULTS: list[harness.Outcome] = []


def generate(n: int, strategy, run) -> None:
    """Run ``n`` generated cases of ``strategy`` through ``run`` (no shrinking, no database)."""
    if n <= 0:
        return

    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def each(case):
        RESULTS.append(run(case))
        if len(RESULTS) % 250 == 0:
            print(f"  {len(RESULTS)} cases, {sum(r.verdict == 'crash' for r in RESULTS)} crashes", flush=True)

    each()


def _slow(rows: list[harness.Outcome], key) -> list[dict]:
    return [{"label": r.label[:160], "verdict": r.verdict, "wall_s": round(r.seconds, 2), "cpu_s": round(r.cpu, 2),
             "peak_mb": round(r.peak_mb), "reader_mb": round(r.reader_mb)}
            for r in sorted(rows, key=key, reverse=True)[:5]]


def report(started: float) -> dict:
    from analysis.importing import sandbox

    by_target: dict[str, list[harness.Outcome]] = defaultdict(list)
    for r in RESULTS:
        by_target["project" if r.target == "project" else r.target if r.target == "cli" else "workbook"].append(r)
    summary = {"cases": len(RESULTS), "minutes": round((time.time() - started) / 60, 1),
               "load_average": [round(x, 1) for x in os.getloadavg()],
               "reader_peak_mb": round(sandbox.PEAK_BYTES[0] / 2**20),
               "runner_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "targets": {}}
    for target, rows in sorted(by_target.items()):
        verdicts = Counter(r.verdict for r in rows)
        summary["targets"][target] = {
            "cases": len(rows), **{k: verdicts.get(k, 0) for k in ("read", "refused", "crash")},
            "over_5_s_wall": sum(r.seconds > 5 for r in rows), "over_5_s_cpu": sum(r.cpu > 5 for r in rows),
            "over_1_gb": sum(max(r.peak_mb, r.reader_mb) > 1024 for r in rows),
            "largest_runner_mb": round(max(r.peak_mb for r in rows)),
            "largest_reader_mb": round(max(r.reader_mb for r in rows)),
            "slowest_wall": _slow(rows, lambda r: r.seconds), "slowest_cpu": _slow(rows, lambda r: r.cpu),
            "crashes": [{"label": r.label[:200], "detail": r.detail[-500:]} for r in rows if r.verdict == "crash"][:40],
            "crash_kinds": dict(Counter(r.label.split(" / ")[-1] for r in rows if r.verdict == "crash")),
        }
    return summary


def merge(summaries: list[dict]) -> dict:
    """One summary of several shards' summaries."""
    out = {"cases": sum(s["cases"] for s in summaries), "shards": len(summaries),
           "minutes": max(s["minutes"] for s in summaries),
           "load_average": [s.get("load_average") for s in summaries],
           "reader_peak_mb": max(s["reader_peak_mb"] for s in summaries),
           "runner_peak_mb": max(s["runner_peak_mb"] for s in summaries), "targets": {}}
    for name in sorted({t for s in summaries for t in s["targets"]}):
        parts = [s["targets"][name] for s in summaries if name in s["targets"]]
        merged = {k: sum(p[k] for p in parts) for k in ("cases", "read", "refused", "crash", "over_5_s_wall",
                                                         "over_5_s_cpu", "over_1_gb")}
        merged["largest_runner_mb"] = max(p["largest_runner_mb"] for p in parts)
        merged["largest_reader_mb"] = max(p["largest_reader_mb"] for p in parts)
        for key, by in (("slowest_wall", "wall_s"), ("slowest_cpu", "cpu_s")):
            merged[key] = sorted((r for p in parts for r in p[key]), key=lambda r: r[by], reverse=True)[:5]
        merged["crashes"] = [c for p in parts for c in p["crashes"]][:40]
        merged["crash_kinds"] = dict(sum((Counter(p["crash_kinds"]) for p in parts), Counter()))
        out["targets"][name] = merged
    return out


def table(summary: dict) -> str:
    """The README's table of a run."""
    names = {"workbook": "workbooks (every format in tests/data, mutated)", "project": "project files",
             "cli": "command lines"}
    lines = ["| target | cases | read | refused | crashed | over 5 s (processor / wall) | over 1 GB | slowest "
             "(processor, wall) | largest (this process / reader) |", "|---|---|---|---|---|---|---|---|---|"]
    for key in ("workbook", "project", "cli"):
        t = summary["targets"].get(key)
        if not t:
            continue
        cpu, wall = t["slowest_cpu"][0], t["slowest_wall"][0]
        lines.append(f"| {names[key]} | {t['cases']:,} | {t['read']:,} | {t['refused']:,} | {t['crash']} | "
                     f"{t['over_5_s_cpu']} / {t['over_5_s_wall']} | {t['over_1_gb']} | {cpu['cpu_s']} s, "
                     f"{wall['wall_s']} s | {t['largest_runner_mb']} MB / {t['largest_reader_mb']} MB |")
    return "\n".join(lines)


KEPT_INDEX = "kept.json"


def _note_kept(folder: Path, name: str, label: str) -> None:
    index = folder / KEPT_INDEX
    labels = json.loads(index.read_text()) if index.exists() else {}
    labels[name] = label
    index.write_text(json.dumps(labels, indent=1))


def again(folders: list[Path]) -> int:
    """Each kept case once more, read by the reader of the seed it was made from: after a fix,
    this shows whether every slow or crashing case of a long run is now within its bounds."""
    outcomes = []
    for folder in folders:
        labels = json.loads((folder / KEPT_INDEX).read_text()) if (folder / KEPT_INDEX).exists() else {}
        for path in sorted(p for p in folder.iterdir() if p.name != KEPT_INDEX):
            seed = labels.get(path.name, "labs.xlsx").split(" / ")[0]
            if path.suffix == ".nadir":
                outcome = harness.run_project(path, path.name)
            else:
                outcome = harness.run_workbook(path, seed if "." in seed else "labs.xlsx", path.name)
            outcomes.append(outcome)
            print(f"{folder.name}/{path.name}: {outcome.verdict}, {outcome.seconds:.2f} s wall, "
                  f"{outcome.cpu:.2f} s processor, {outcome.peak_mb:.0f} MB (reader {outcome.reader_mb:.0f} MB)",
                  flush=True)
    if not outcomes:
        print("no kept cases")
        return 0
    over = [o for o in outcomes if o.verdict == "crash" or max(o.seconds, o.cpu) > 5]
    print(f"{len(outcomes)} kept cases: {sum(o.verdict == 'crash' for o in outcomes)} crashed, "
          f"{sum(max(o.seconds, o.cpu) > 5 for o in outcomes)} over 5 s; slowest "
          f"{max(o.seconds for o in outcomes):.2f} s wall, {max(o.cpu for o in outcomes):.2f} s processor; "
          f"largest {max(o.peak_mb for o in outcomes):.0f} MB / reader {max(o.reader_mb for o in outcomes):.0f} MB")
    return 1 if over else 0


def main() -> int:
    if sys.argv[1:2] == ["--merge"]:
        summary = merge([json.loads(Path(p).read_text()) for p in sys.argv[2:]])
        print(json.dumps(summary, indent=1, ensure_ascii=False))
        print(table(summary))
        return 1 if any(t["crash"] for t in summary["targets"].values()) else 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--cli", type=int, default=300)
    parser.add_argument("--minutes", type=float, default=0, help="stop after the round that passes this time")
    parser.add_argument("--out", type=Path, default=None, help="also write the summary as JSON here")
    parser.add_argument("--keep", type=Path, default=None, help="copy each crashing or slow (over 5 s) case here")
    parser.add_argument("--again", type=Path, nargs="+", default=None,
                        help="run the cases kept in these folders again on this code, and print how each went")
    args = parser.parse_args()
    if args.again:
        return again(args.again)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="nadir-fuzz-") as tmp:
        folder = Path(tmp)
        paths = harness.special_paths(folder / "paths")
        seed = seed_project(folder)
        out = folder / "out"
        out.mkdir()

        def keep(outcome: harness.Outcome, path: Path) -> harness.Outcome:
            if args.keep and (outcome.verdict == "crash" or max(outcome.seconds, outcome.cpu) > 5):
                args.keep.mkdir(parents=True, exist_ok=True)
                kept = args.keep / f"{len(RESULTS):05d}-{outcome.verdict}{path.suffix}"
                kept.write_bytes(path.read_bytes())
                _note_kept(args.keep, kept.name, outcome.label)  # --again needs the seed's reader
                outcome.label += f" (kept as {kept.name})"
            return outcome

        def workbook(case):
            name, data, what = case
            path = folder / f"case{name[name.rfind('.'):]}"
            path.write_bytes(data)
            return keep(harness.run_workbook(path, name, what), path)

        def project(case):
            text, what = case
            path = folder / "case.nadir"
            path.write_bytes(text)
            outcome = keep(harness.run_project(path, what), path)
            if what not in FILE_EDITS:
                outcome.target = "project"
                outcome.label = f"{outcome.label} / schema"
            return outcome

        def cli(argv):
            return harness.run_cli([a.replace("OUT/", f"{out}/") for a in argv])

        done = {"files": 0, "projects": 0, "cli": 0}
        rounds = {"files": (200, workbook_cases(), workbook), "projects": (20, project_cases(seed, paths), project),
                  "cli": (6, cli_cases(paths), cli)}
        while any(done[k] < getattr(args, k) for k in done):
            for key, (size, strategy, run) in rounds.items():
                n = min(size, getattr(args, key) - done[key])
                generate(n, strategy, run)
                done[key] += max(n, 0)
            if args.out:
                args.out.write_text(json.dumps(report(started), indent=1, ensure_ascii=False) + "\n")
            print(f"round done: {done}", flush=True)
            if args.minutes and time.time() - started > args.minutes * 60:
                print(f"stopped after {args.minutes} minutes", flush=True)
                break
    summary = report(started)
    text = json.dumps(summary, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if any(t["crash"] for t in summary["targets"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
