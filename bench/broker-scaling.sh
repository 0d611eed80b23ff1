#!/usr/bin/env bash
# Scale-out through RabbitMQ (on 127.0.0.1:5672, guest/guest): one api process and k worker processes (separate JVMs,
# the broker profile, roles api and worker) run ITEMS items (default 2,000) of INFERENCE_MS (default 20) simulated
# inference, sentinel null, for each k of WORKERS (default "1 2 4"), RUNS times (default 3). Each worker runs the
# simulated model at its default concurrency (one slot), so the ideal time is ITEMS x INFERENCE_MS / k.
# Two such pipelines, side by side in namespaces of their own: "loopback", whose workers connect to the broker
# directly, and "proxy", whose workers connect through bench/DelayProxy.java, which delays every byte DELAY_MS
# (default 1) each way, as a network between the workers and the broker would (both apis connect directly). Their runs
# alternate, one at a time (loopback first in odd runs), so a load that drifts falls on both. At the first k a third
# side takes its turn too, the baseline: the same runs in one process without a broker (the same jar and options, no
# broker profile), so that the host's own losses (the simulated timer waking late on a busy host) are told from the
# broker's.
# It prints each run: its seconds from the run's createdAt to its endedAt; when the api published its last item, and
# the queue's mean depth (sampled; a queue at its capacity never left a worker waiting for the api); for each worker
# the items it ran, when it began its first and ended its last, its mean inference time an item (the simulated
# model's timer: above INFERENCE_MS on a busy host) and how long it was idle in between. Then a table for each side:
# k, the median seconds, their ratio to the ideal (ideal / seconds), the speed-up over k = 1 (seconds at 1 / seconds
# at k), and the median "busy": the share of the k slots' time (k x seconds) spent in inference, so that 1 - busy is
# what the pipeline lost (its start, the gaps between items, the tail) whatever the timer's lateness. WARMUP items
# (default 200, inferenceMs 0) run unmeasured each time the workers change.
# First, a check of the proxy: an AMQP round trip on an open connection (Connection.Start-Ok to Connection.Tune),
# median of 30, direct and through it. The proxy adds 2 x DELAY_MS and its own two hand-offs between threads (0.3 to
# 0.6 ms on a busy 2-core host, measured through it with a delay of 0): on 2026-12-06, 0.19 to 0.34 ms direct against
# 2.81 to 4.21 ms through it.
# Knobs: NAMESPACE (default mlpipe-scaling: the pipelines use <it>-loopback and <it>-proxy; their queues are deleted
# afterwards, their exchanges stay: rabbitmqctl cannot delete one), PROXY_PORT (5690), HTTP_PORT (8160: the loopback
# api's, its workers' the next ones; the proxy side's from HTTP_PORT + 10, the baseline's HTTP_PORT + 19),
# MANAGEMENT_PORT (9160, likewise), JAVA_OPTS (the production command's, docs/operations.md). Every process's log is in
# target/broker-scaling/.
# Usage: bench/broker-scaling.sh [app dir, default target/quarkus-app]. Package first. Do not edit it while it runs
# (bash reads a script as it goes).
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/quarkus-app}
ns=${NAMESPACE:-mlpipe-scaling}
items=${ITEMS:-2000} inference=${INFERENCE_MS:-20} runs=${RUNS:-3} ks=${WORKERS:-1 2 4} warmup=${WARMUP:-200}
proxy_port=${PROXY_PORT:-5690} delay=${DELAY_MS:-1}
java_opts=${JAVA_OPTS:--XX:SharedArchiveFile=app-cds.jsa -XX:+UseSerialGC -Xmx256m -Xmn32m -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000}
logs=$PWD/target/broker-scaling
mkdir -p "$logs"
rm -f "$logs"/*.s "$logs"/*.table
sides="loopback proxy"
# a side's ports (its api's, its workers' the next ones) and the broker port its workers connect to
offset() { case $1 in proxy) echo 10 ;; baseline) echo 19 ;; *) echo 0 ;; esac; }
http() { echo $((${HTTP_PORT:-8160} + $(offset "$1") + ${2:-0})); }
management() { echo $((${MANAGEMENT_PORT:-9160} + $(offset "$1") + ${2:-0})); }
broker_port() { if [ "$1" = proxy ]; then echo "$proxy_port"; else echo 5672; fi; }

pids=() # every process started, stopped on exit
declare -A workers=([loopback]=0 [proxy]=0) # how many each side has
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  for side in $sides; do
    for q in "$ns-$side.items.simulated" "$ns-$side.items.digits" "$ns-$side.dead" "$ns-$side.results.api"; do
      rabbitmqctl -q delete_queue "$q" > /dev/null 2>&1 || true
    done
  done
}
trap cleanup EXIT

# starts the jar as $2 of side $1 (the broker profile, guest/guest, the side's namespace; the baseline without) with
# these -D settings too
service() {
  local side=$1 name=$2; shift 2
  local settings=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.management.host=127.0.0.1 -Dmlpipe.instance-id="$name")
  [ "$side" = baseline ] || settings+=(-Dquarkus.profile=broker -Dmlpipe.broker.namespace="$ns-$side"
    -Drabbitmq-username=guest -Drabbitmq-password=guest)
  # shellcheck disable=SC2086 # java_opts is a list of options
  (cd "$app" && exec java $java_opts "${settings[@]}" "$@" -jar quarkus-run.jar > "$logs/$side-$name.log" 2>&1) &
  pids+=($!)
}
ready() { until curl -sf "localhost:$1/q/health/ready" > /dev/null; do sleep 1; done; }
field() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
# waits until side $1's api sees $2 workers on the simulated model's queue
await_workers() {
  local seen='[m["workers"] for m in d["broker"]["models"] if m["model"] == "simulated"][0]'
  until [ "$(curl -s "localhost:$(http "$1")/api/pipeline" | field "$seen")" = "$2" ]; do sleep 0.5; done
}
# adds workers to side $1 until it has $2, w1, w2...
scale_to() {
  local side=$1 n
  for n in $(seq $((workers[$side] + 1)) "$2"); do
    service "$side" "w$n" -Dmlpipe.role=worker -Dquarkus.http.port="$(http "$side" "$n")" \
      -Dquarkus.management.port="$(management "$side" "$n")" -Drabbitmq-port="$(broker_port "$side")"
  done
  workers[$side]=$2
  for n in $(seq "$2"); do ready "$(management "$side" "$n")"; done
  await_workers "$side" "$2"
}
# runs the spec in $2 on side $1's api to its end and prints its id
run() {
  local api id
  api=localhost:$(http "$1")
  id=$(curl -s -XPOST "$api/api/runs" -H 'Content-Type: application/json' -d "$2" | field 'd["id"]')
  while [ "$(curl -s "$api/api/runs/$id" | field 'd["state"]')" = running ]; do sleep 0.5; done
  echo "$id"
}
# one measured run on side $1 with $2 workers: prints it, and appends its seconds to $logs/$1-$2.s
measure() {
  local id api=localhost:$(http "$1")
  id=$(run "$1" "{\"maxItems\": $items, \"inferenceMs\": $inference, \"sentinel\": null}")
  curl -s "$api/api/runs/$id" > "$logs/view.json"
  curl -s "$api/api/runs/$id/results?format=jsonl" > "$logs/results.jsonl"
  python3 - "$logs/view.json" "$logs/results.jsonl" "$1" "$2" "$((items * inference))" "$logs/$1-$2.s" <<'EOF'
import json, sys
from datetime import datetime
view = json.load(open(sys.argv[1]))
results = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
side, k, ideal = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]) / 1000 / int(sys.argv[4])
us = lambda iso: datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1e6
start = us(view["createdAt"])
seconds = (us(view["endedAt"]) - start) / 1e6
at = lambda t: "%.1f" % ((t - start) / 1e6)
by = {}
for r in results:
    by.setdefault(r["worker"], []).append(r)
parts, busy = [], 0
for worker, rs in sorted(by.items()):
    batches = {(r["batchId"], r["startedUs"]): r["finishedUs"] - r["startedUs"] for r in rs}
    busy += sum(batches.values()) / 1e6
    first, last = min(r["startedUs"] for r in rs), max(r["finishedUs"] for r in rs)
    parts.append("%s %d (%s to %s s, inference %.2f ms an item, idle %.1f s)" % (worker, len(rs), at(first), at(last),
                 sum(batches.values()) / len(rs) / 1000, (last - first - sum(batches.values())) / 1e6))
done = "%d items" % view["counts"]["processed"] if view["state"] == "completed" else view["state"]
print("  %-8s k=%d: %.2f s, ratio %.3f, busy %.3f, %s; api published its last item at %s s, queue's mean depth %.1f of %d; "
      "by worker: %s" % (side, k, seconds, ideal / seconds, busy / k / seconds, done,
                         at(max(r["enqueuedUs"] for r in results)), view["queue"]["meanDepth"], view["queue"]["capacity"],
                         ", ".join(parts)))
with open(sys.argv[6], "a") as out:
    print("%.2f %.3f" % (seconds, busy / k / seconds), file=out)
EOF
}
# the median of column $2 (default 1) of file $1
median() {
  awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g \
    | awk '{ r[NR] = $1 } END { print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}

java bench/DelayProxy.java "$proxy_port" 5672 "$delay" > "$logs/proxy.log" 2>&1 &
pids+=($!)
until (exec 3<> "/dev/tcp/127.0.0.1/$proxy_port") 2> /dev/null; do sleep 0.5; done
python3 - 5672 "$proxy_port" <<'EOF'
import socket, statistics, struct, sys, time
frame = lambda payload: struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce"
start_ok = frame(struct.pack(">HHI", 10, 11, 0) + b"\x05PLAIN" + struct.pack(">I", 12) + b"\0guest\0guest" + b"\x05en_US")
def read_frame(s):
    data = b""
    while len(data) < 7 or len(data) < 8 + struct.unpack(">I", data[3:7])[0]:
        data += s.recv(4096)
    return data
def round_trip(port):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(b"AMQP\x00\x00\x09\x01")
        read_frame(s)  # Connection.Start
        began = time.perf_counter()
        s.sendall(start_ok)
        assert struct.unpack(">HH", read_frame(s)[7:11]) == (10, 30), "no Connection.Tune"
        return (time.perf_counter() - began) * 1000
direct, proxied = ([round_trip(int(port)) for _ in range(30)] for port in sys.argv[1:])
print("proxy check, an AMQP round trip (Start-Ok to Tune), median of 30: direct %.2f ms, through the proxy %.2f ms"
      % (statistics.median(direct), statistics.median(proxied)))
EOF

for side in $sides; do service "$side" api -Dmlpipe.role=api -Dquarkus.http.port="$(http "$side")" \
  -Dquarkus.management.port="$(management "$side")"; done
service baseline one -Dquarkus.http.port="$(http baseline)" -Dquarkus.management.port="$(management baseline)"
for side in $sides baseline; do ready "$(management "$side")"; done
run baseline "{\"maxItems\": $warmup, \"inferenceMs\": 0, \"sentinel\": null}" > /dev/null
one=${ks%% *}
for k in $ks; do
  for side in $sides; do
    scale_to "$side" "$k"
    run "$side" "{\"maxItems\": $warmup, \"inferenceMs\": 0, \"sentinel\": null}" > /dev/null
  done
  echo "k = $k ($(uptime | sed 's/.*load/load/')):"
  for r in $(seq "$runs"); do
    if [ $((r % 2)) = 1 ]; then order="$sides baseline"; else order="baseline proxy loopback"; fi
    for side in $order; do if [ "$side" != baseline ] || [ "$k" = "$one" ]; then measure "$side" "$k"; fi; done
  done
done
printf '\n%s items x %s ms, 1 api + k workers of one slot each, median of %s runs (%s)\n' "$items" "$inference" "$runs" \
  "$(uptime | sed 's/.*load/load/')"
for side in $sides baseline; do
  case $side in
    loopback) echo "workers on the loopback:" ;;
    proxy) echo "workers through the proxy, $delay ms each way:" ;;
    baseline) echo "the baseline, one process without a broker:" ;;
  esac
  echo "k   ideal s  median s   ratio  speed-up   busy   (each run's seconds)"
  for k in $ks; do
    [ -f "$logs/$side-$k.s" ] || continue
    python3 -c "ideal = $items * $inference / 1000 / $k; s = $(median "$logs/$side-$k.s")
print('%-2d %8.1f %9.2f %7.3f %9.2f %6.3f   (%s)' % ($k, ideal, s, ideal / s, $(median "$logs/$side-$one.s") / s,
      $(median "$logs/$side-$k.s" 2), ' '.join(line.split()[0] for line in open('$logs/$side-$k.s'))))"
  done
done
