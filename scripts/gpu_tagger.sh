#!/usr/bin/env bash
# Train several attribution taggers side by side on one GPU, average each setting's seeds into
# one model (a "model soup"), and keep whichever scores best on the held-out tenth of PolNeAR
# train. Dev is scored for the record only; it chooses nothing.
#
#   scripts/gpu_tagger.sh DATA BASE OUT MINUTES
#
# DATA: PolNeAR's folder (train/, dev/); BASE: the all-MiniLM-L6-v2 folder; OUT: where the
# chosen run's fp16 weight parts, its facts.json and summary.log go; MINUTES: each run's time
# budget. Then, on a machine with the training venv:
#
#   python scripts/train_tagger.py --from-parts OUT --facts OUT/facts.json
#   python scripts/score_tagger.py --card
#
# The runs share the GPU (each is small); the recipe is the bundled model's (see its card).
set -euo pipefail
data=$1 base=$2 out=$3 minutes=$4
here=$(cd "$(dirname "$0")" && pwd)
work=${WORK:-$(mktemp -d)}  # WORK: a folder to watch the runs' logs in
mkdir -p "$work"
recipe=(--window 254 --lr 2e-4 --epochs 8 --batch-size 32 --crf --holdout --no-export)
declare -A settings=([plain]="" [case]="--casing")
seeds=(13 14 15)

pids=()
for name in "${!settings[@]}"; do
    for seed in "${seeds[@]}"; do
        # shellcheck disable=SC2086 # the setting is a list of flags
        python3 "$here/train_tagger.py" --data "$data" --base "$base" "${recipe[@]}" \
            ${settings[$name]} --seed "$seed" --max-minutes "$minutes" \
            --save-parts "$work/$name-$seed" --log "$work/$name-$seed.log" \
            >/dev/null 2>&1 &
        pids+=($!)
    done
done
for pid in "${pids[@]}"; do wait "$pid" || echo "a run failed (pid $pid)"; done

pids=()
for name in "${!settings[@]}"; do
    runs=()
    for seed in "${seeds[@]}"; do
        [[ -f $work/$name-$seed/facts.json ]] && runs+=("$work/$name-$seed")
    done
    ((${#runs[@]} > 1)) || continue
    python3 "$here/train_tagger.py" --data "$data" --base "$base" --no-export \
        --soup "${runs[@]}" --save-parts "$work/$name-soup" --log "$work/$name-soup.log" \
        >/dev/null 2>&1 &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || echo "a soup failed (pid $pid)"; done

mkdir -p "$out/best"
cat "$work"/*.log >"$out/summary.log"
python3 - "$work" "$out/best" <<'EOF' | tee -a "$out/summary.log"
import json, shutil, sys
from pathlib import Path
work, best = Path(sys.argv[1]), Path(sys.argv[2])
scores = {}
for facts in sorted(work.glob("*/facts.json")):
    f = json.loads(facts.read_text())
    held = f["soup"]["held_out"] if "soup" in f else f["selection"][-1]["history"][-1]
    scores[facts.parent.name] = held
    print(f"{facts.parent.name}: held-out {held} dev {f['dev_torch']}")
name = max(scores, key=lambda k: scores[k]["mean"])
print(f"chosen on held-out train: {name}")
for path in (work / name).iterdir():
    shutil.copy(path, best / path.name)
EOF
