#!/usr/bin/env bash
# Runs/minute of a suite on the local one-node Slurm (.ci/slurm-local up) as 1, 2 and 3 array
# tasks, against `marsdrive suite --jobs 2` on the same machine, and each array task's overhead
# beyond its runs (docs/cluster.md, issue 15).
#
#   bench/slurm_scaling.sh [MARSDRIVE] [SUITE] [WORKDIR]
#
# Defaults: build/marsdrive, scenarios/suites/jezero-rim-quick.yaml, a fresh temporary
# directory. Every configuration gets a fresh output directory but all share one terrain cache,
# built first by a warm-up run, so terrain generation is not what is measured.
# Overhead of a task = (its shard.json's modification time - the start time its log line
# prints) - the sum of its runs' wall times; tasks run with --cpus-per-task 1 (runs one after
# another) for that figure. Needs SLURM_CONF (eval "$(.ci/slurm-local env)").
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/marsdrive}")
suite=$(realpath "${2:-scenarios/suites/jezero-rim-quick.yaml}")
work=${3:-$(mktemp -d /tmp/marsdrive-slurm-bench.XXXXXX)}
mkdir -p "$work"
cache=$work/cache

wait_jobs() {  # until none of the job ids in $@ is in squeue
  while squeue -h -r -o %F | grep -qxE "$(IFS='|'; echo "$*")"; do sleep 0.2; done
}

echo "suite $suite; marsdrive $bin; work $work" >&2
"$bin" suite "$suite" --jobs 2 --out "$work/warmup" --terrain-cache "$cache/terrain" >/dev/null 2>&1 || true

t0=$(date +%s.%N)
"$bin" suite "$suite" --jobs 2 --out "$work/local" --terrain-cache "$cache/terrain" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
runs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['runs']))" "$work/local/results.json")
python3 - "$runs" "$t0" "$t1" <<'PY'
import sys
runs, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"local  suite --jobs 2: {runs} runs in {t1 - t0:6.1f} s = {runs / (t1 - t0) * 60:5.1f} runs/min")
PY

for n in 1 2 3; do
  for cpus in 2 1; do
    [ "$n" -eq 1 ] || [ "$cpus" -eq 2 ] || continue   # N=1 once per cpus; N>1 with 1 cpu each
    [ "$n" -eq 1 ] || cpus=1
    out=$work/slurm-n$n-c$cpus
    t0=$(date +%s.%N)
    "$bin" submit "$suite" --engine slurm --shards "$n" --cpus-per-task "$cpus" --out "$out" \
        --cache-dir "$cache" >/dev/null
    ids=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['submissions'][0]; print(s['shards_job'], s['merge_job'])" "$out/slurm/jobs.json")
    # shellcheck disable=SC2086
    wait_jobs $ids
    t1=$(date +%s.%N)
    python3 - "$out" "$n" "$cpus" "$t0" "$t1" <<'PY'
import datetime, json, os, re, sys
out, n, cpus, t0, t1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
results = json.load(open(os.path.join(out, "results.json")))
runs = len(results["runs"])
line = f"slurm  {n} task(s) x {cpus} cpu: {runs} runs in {t1 - t0:6.1f} s = {runs / (t1 - t0) * 60:5.1f} runs/min (submit to merged)"
overheads = []
for i in range(n):
    shard = os.path.join(out, "shards", f"shard-{i}")
    log = open(os.path.join(out, "slurm", "logs", f"shard-{i}.log")).read()
    m = re.findall(r"at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)Z", log)[-1]
    start = datetime.datetime.strptime(m[0], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp() + float("0." + m[1])
    end = os.path.getmtime(os.path.join(shard, "shard.json"))
    runs_s = sum(r.get("wall_time_s", 0) for r in json.load(open(os.path.join(shard, "results.json")))["runs"])
    overheads.append(end - start - runs_s)
if cpus == 1:
    line += "; per-task overhead beyond its runs: " + ", ".join(f"{o:.2f} s" for o in overheads)
print(line)
PY
  done
done
