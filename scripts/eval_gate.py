"""Quality gate: redline's PolNeAR figures must not drop below the floors in the baseline.

    .venv/bin/python scripts/eval_gate.py [--data ../shared/eval/polnear] [--baseline FILE]
    .venv/bin/python scripts/eval_gate.py --write   # print floors for the figures measured now

Scores redline on a fixed sample (the first 40 dev texts, sorted by name), prints every figure
beside its floor and exits 1 when any is below. Raising a floor in benchmarks/baseline.json is a
normal commit; lowering one needs a written reason. Exits 0 with "skipped" when the PolNeAR
data is not beside this checkout.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "polnear"
BASELINE = ROOT / "benchmarks" / "baseline.json"
SPLIT, LIMIT = "dev", 40
MARGIN = 1.0  # points below the measured figure when writing floors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="PolNeAR data folder")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="floors (JSON)")
    parser.add_argument(
        "--write", action="store_true", help="print floors (measured - 1.0) instead of gating"
    )
    args = parser.parse_args()
    if not (args.data / SPLIT).is_dir():
        shown = "../shared/eval/polnear" if args.data == DATA else str(args.data)
        print(f"skipped: {shown} not found")
        return 0

    from redline.evaluate import evaluate_dir

    report = evaluate_dir(args.data, SPLIT, limit=LIMIT, peers=False)
    figures = report.figures()
    if args.write:
        floors = {k: math.floor(round((v - MARGIN) * 10, 6)) / 10 for k, v in figures.items()}
        print(json.dumps(floors, indent=2))
        return 0

    baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    floors = {k: float(v) for k, v in baseline.items() if not k.startswith("_")}
    print(f"PolNeAR {SPLIT}, first {report.articles} texts, {report.gold_attributions} gold")
    failed: list[str] = []
    for key in sorted(figures.keys() | floors.keys()):
        value, floor = figures.get(key), floors.get(key)
        if value is None:
            failed.append(f"{key}: not measured (floor {floor:.1f})")
            mark = "MISSING"
        elif floor is None:
            mark = "(no floor)"
        elif value < floor:
            failed.append(f"{key}: {value:.1f} < floor {floor:.1f}")
            mark = "BELOW"
        else:
            mark = "ok"
        shown_value = "-" if value is None else f"{value:5.1f}"
        shown_floor = "-" if floor is None else f"{floor:5.1f}"
        print(f"  {key:<28} {shown_value:>6}  floor {shown_floor:>6}  {mark}")
    if failed:
        print(f"FAILED: {len(failed)} figure(s) below the floor in {args.baseline}:")
        for line in failed:
            print(f"  {line}")
        print("Fix the regression, or lower the floor in a commit that says why.")
        return 1
    print(f"passed: {len(figures)} figures at or above their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
