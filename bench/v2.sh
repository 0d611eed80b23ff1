#!/usr/bin/env bash
# The Open Inference Protocol's figures (docs/v2.md), each a ratio of two settings measured in this one run, the
# settings of a repeat interleaved, medians over the repeats. Load: wrk, 2 threads, 64 keep-alive connections of
# one-row JSON requests (bench/v2/*.lua). Package first (./mvnw package -DskipTests); needs wrk, and for the Python
# baseline python3-fastapi, python3-uvicorn, python3-onnx, python3-numpy (Debian).
#
#   bench/v2.sh [--seconds 10] [--repeats 3] [--app target/quarkus-app]
#
# 1. Batching across clients: mlpipe's simulated model at inference-ms 1, max batch size 64 over 1 (live setting).
# 2. digits over v2 at max batch 64 against a minimal Python v2 server (FastAPI on uvicorn, numpy forward pass) under
#    the same load; the mean batch mlpipe formed; the share of a request's time that is ONNX Runtime's (its rows/s
#    at batch 64 from bench scenario 8's limit is not measured here: see BENCHMARKS.md).
# 3. The v2 client: a digits dataset run through a model of the v2 backend pointing at a second mlpipe serving digits
#    (binary tensors, batch 64), over the same run on the in-process digits model.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
repeats=3
app=target/quarkus-app
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --app) app=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$app/quarkus-run.jar" ] || { echo "no $app/quarkus-run.jar: package first" >&2; exit 1; }
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
python=/usr/bin/python3
baseline=yes
$python -c 'import fastapi, uvicorn, numpy, onnx' 2> /dev/null || {
  echo "# the Python baseline cannot run (python3-fastapi, python3-uvicorn, python3-onnx, python3-numpy): no ratio 2"
  baseline=no
}

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done' EXIT
root=$PWD
start() { # name port management-port settings...: the packaged jar on loopback (open to this machine only)
  local name=$1 port=$2 management=$3
  shift 3
  local args=()
  for setting in "$@"; do args+=("-D$setting"); done
  (cd "$app" && exec java -XX:+UseSerialGC -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.management.port="$management" "${args[@]}" -jar quarkus-run.jar > "$root/target/bench-v2-$name.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 120); do curl -sf "127.0.0.1:$management/q/health/ready" > /dev/null && return; sleep 0.5; done
  echo "$name did not get ready: target/bench-v2-$name.log" >&2
  exit 1
}
field() { $python -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
load() { # script port [args]: one wrk run, its JSON line
  local script=$1 port=$2
  shift 2
  wrk -t 2 -c 64 -d "${seconds}s" -s "bench/v2/$script" "http://127.0.0.1:$port" -- "$@" | grep '^{'
}
batches() { # management port, model: count and sum of its batch sizes
  curl -s "127.0.0.1:$1/q/metrics" | $python -c "
import sys, re
count = total = 0.0
for line in sys.stdin:
    m = re.match(r'mlpipe_batch_size_(count|sum)(\{[^}]*\})? ([0-9.eE+-]+)', line)
    if m and (m.group(2) is None or 'model=\"$2\"' in m.group(2)):
        if m.group(1) == 'count': count += float(m.group(3))
        else: total += float(m.group(3))
print(int(count), total)"
}
ratio() { # the median over the repeats of a[i] / b[i], two arrays named
  local -n a=$1 b=$2
  $python -c "import sys, statistics; v = sys.argv[1:]; n = len(v) // 2
print('%.3g' % statistics.median(float(p) / float(q) for p, q in zip(v[:n], v[n:])))" "${a[@]}" "${b[@]}"
}
median() { $python -c "import sys, statistics; print('%.4g' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
pipeline() { # port, max batch: the simulated model's live setting
  curl -sf -XPUT "127.0.0.1:$1/api/pipeline" -H 'Content-Type: application/json' -d "{\"maxBatchSize\":$2}" > /dev/null
}
run_rows_per_second() { # port, model: a digits dataset run (repeated) to its end, its items per second
  local id
  id=$(curl -s -XPOST "127.0.0.1:$1/api/runs" -H 'Content-Type: application/json' \
    -d "{\"model\":\"$2\",\"dataset\":\"digits\",\"repeat\":20}" | field 'd["id"]')
  while [ "$(curl -s "127.0.0.1:$1/api/runs/$id" | field 'd["state"]')" = running ]; do sleep 0.5; done
  curl -s "127.0.0.1:$1/api/runs/$id" | field '"%s %d %.1f" % (d["state"], d["counts"]["processed"], d["stats"]["throughput"])'
}

echo "# bench/v2.sh --seconds $seconds --repeats $repeats, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
start server 8231 9231 mlpipe.models.simulated.inference-ms=1 mlpipe.models.simulated.capacity=256 \
  mlpipe.models.digits.max-batch-size=64 mlpipe.models.digits.capacity=256
start client 8232 9232 mlpipe.models.remote.backend=v2 mlpipe.models.remote.url=http://127.0.0.1:8231 \
  mlpipe.models.remote.model=digits mlpipe.models.remote.max-batch-size=64 mlpipe.models.remote.capacity=1024 \
  mlpipe.models.remote.concurrency=4 mlpipe.models.digits.max-batch-size=64 mlpipe.models.digits.capacity=1024
if [ $baseline = yes ]; then
  $python bench/v2/python_server.py --port 8233 > target/bench-v2-python.log 2>&1 &
  pids+=($!)
  for _ in $(seq 60); do curl -sf 127.0.0.1:8233/v2/health/ready > /dev/null && break; sleep 0.5; done
fi
# warm-up: each server, each script, a third of a setting
wrk -t 2 -c 64 -d "$((seconds / 3 + 1))s" -s bench/v2/simulated.lua http://127.0.0.1:8231 > /dev/null
wrk -t 2 -c 64 -d "$((seconds / 3 + 1))s" -s bench/v2/digits.lua http://127.0.0.1:8231 > /dev/null
[ $baseline = yes ] && wrk -t 2 -c 64 -d "$((seconds / 3 + 1))s" -s bench/v2/digits.lua http://127.0.0.1:8233 > /dev/null
run_rows_per_second 8232 remote > /dev/null

declare -a b1 b64 r1 r64 mlpipe py p99m p99p mean inproc remote
for repeat in $(seq "$repeats"); do
  pipeline 8231 1
  one=$(load simulated.lua 8231)
  pipeline 8231 64
  many=$(load simulated.lua 8231)
  pipeline 8231 1
  b1+=("$(echo "$one" | field 'd["requestsPerSecond"]')")
  b64+=("$(echo "$many" | field 'd["requestsPerSecond"]')")
  r1+=("$(echo "$one" | field 'd["non2xx"] + d["errors"]')")
  r64+=("$(echo "$many" | field 'd["non2xx"] + d["errors"]')")
  read -r c0 s0 < <(batches 9231 digits)
  ours=$(load digits.lua 8231)
  read -r c1 s1 < <(batches 9231 digits)
  mlpipe+=("$(echo "$ours" | field 'd["requestsPerSecond"]')")
  p99m+=("$(echo "$ours" | field 'd["p99Ms"]')")
  mean+=("$($python -c "print('%.1f' % (($s1 - $s0) / max(1, $c1 - $c0)))")")
  if [ $baseline = yes ]; then
    theirs=$(load digits.lua 8233)
    py+=("$(echo "$theirs" | field 'd["requestsPerSecond"]')")
    p99p+=("$(echo "$theirs" | field 'd["p99Ms"]')")
  fi
  read -r _ _ here < <(run_rows_per_second 8232 digits)
  read -r state processed there < <(run_rows_per_second 8232 remote)
  inproc+=("$here")
  remote+=("$there")
  echo "# repeat $repeat: simulated batch 1 ${b1[-1]}/s, batch 64 ${b64[-1]}/s (errors ${r1[-1]}, ${r64[-1]});" \
    "digits over v2 ${mlpipe[-1]}/s p99 ${p99m[-1]} ms mean batch ${mean[-1]};" \
    "python ${py[-1]:-none}/s p99 ${p99p[-1]:-none} ms; in process ${here} rows/s, through v2 ${there} rows/s ($state, $processed)"
done

echo
echo "| figure | median of $repeats | goal |"
echo "|---|---|---|"
echo "| 1. simulated, inference-ms 1: requests/s at max batch 64 over 1 | $(ratio b64 b1)x ($(median "${b64[@]}") / $(median "${b1[@]}") requests/s) | >= 3x |"
echo "| 2. digits over v2 at max batch 64: requests/s, p99, mean batch | $(median "${mlpipe[@]}")/s, p99 $(median "${p99m[@]}") ms, mean batch $(median "${mean[@]}") | p99 < 50 ms |"
if [ $baseline = yes ]; then
  echo "| 2. over the Python v2 server (FastAPI, uvicorn, numpy), same load | $(ratio mlpipe py)x ($(median "${py[@]}")/s, p99 $(median "${p99p[@]}") ms) | >= 5x |"
fi
echo "| 3. v2 client: digits rows/s through a second mlpipe over v2 over in process, batch 64, binary | $(ratio remote inproc)x ($(median "${remote[@]}") / $(median "${inproc[@]}") rows/s) | >= 0.5x |"
