#!/usr/bin/env bash
# Throughput through RabbitMQ (on 127.0.0.1:5672, guest/guest): an api process and a worker process with the broker
# profile (SPLIT=0: one process, role all) run ITEMS random items (default 5,000) at inferenceMs 0, RUNS times
# (default 3) one after the other, and prints each run's items per second. CAPACITY sets
# mlpipe.models.simulated.capacity (default: the application's), ITEMS_PER_MESSAGE mlpipe.broker.items-per-message
# (default: the application's, 32; 1 is one item a message), MIN_PREFETCH mlpipe.broker.min-prefetch (default: the
# application's, 512). Each run prints the CPU an item took in RabbitMQ (all its traffic: run nothing else on it
# meanwhile) and in the service (its processes' CPU time, which other work on a shared host moves less than the
# items/s; "n/a" when RabbitMQ runs elsewhere). With PERFTEST=1 it first prints RabbitMQ's own PerfTest on the same
# broker, as the broker's ceiling on this host: persistent messages of an item's size, confirmed, 1,000 unconfirmed at
# most (as the issue's anchor), and in lock-step (one message at a time); PERFTEST_SECONDS each (default 10). Then the
# shipped digits model on its dataset, DIGITS_REPEAT times over (default 5: 8,985 rows), through the broker, and the
# same in one process without a broker (the same jar, ports, settings, one warm-up run each and then RUNS runs: the
# baseline), each with the median of its runs' items per second, and their ratio.
# Usage: bench/broker.sh [app dir, default target/quarkus-app: another build's for an A/B]. Package first.
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/quarkus-app}
# NAMESPACE, PORT and MANAGEMENT_PORT: where the service runs (the worker on the next ports), for two benchmarks at
# once on one host and one broker
prefix=${NAMESPACE:-mlpipe-bench} # its queues are deleted afterwards; the exchange stays (rabbitmqctl cannot delete one)
port=${PORT:-8124}
management=${MANAGEMENT_PORT:-9124}
if [ "${PERFTEST:-0}" = 1 ]; then
  [ -d target/perftest ] || ./mvnw -q -f bench/perftest/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$PWD/target/perftest"
  perftest() { java -cp 'target/perftest/*' com.rabbitmq.perf.PerfTest -h amqp://guest:guest@127.0.0.1:5672 \
    -x 1 -y 1 -f persistent -s 180 -z "${PERFTEST_SECONDS:-10}" "$@" 2>&1 | grep -E 'sending rate avg' | sed 's/.*avg: //'; }
  echo "PerfTest, -c 1000 -q 1000 -A 100: $(perftest -c 1000 -q 1000 -A 100)"
  echo "PerfTest, lock-step -c 1 -q 1: $(perftest -c 1 -q 1)"
fi
python3 -c "import json; print(json.dumps({'maxItems': ${ITEMS:-5000}, 'sentinel': None, 'inferenceMs': 0}))" \
  > target/broker-bench-run.json
capacity=${CAPACITY:+-Dmlpipe.models.simulated.capacity=$CAPACITY}
perMessage=${ITEMS_PER_MESSAGE:+-Dmlpipe.broker.items-per-message=$ITEMS_PER_MESSAGE}
prefetch=${MIN_PREFETCH:+-Dmlpipe.broker.min-prefetch=$MIN_PREFETCH}
# starts a process of role $1 with id $2 on ports $3 and $4, with the broker profile; its pid in $started
broker_process() {
  (cd "$app" && exec java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$3 -Dquarkus.management.host=127.0.0.1 \
    -Dquarkus.management.port=$4 -Dquarkus.profile=broker -Dmlpipe.role=$1 -Dmlpipe.instance-id=$2 \
    -Dmlpipe.broker.namespace=$prefix $capacity $perMessage $prefetch \
    -Drabbitmq-username=guest -Drabbitmq-password=guest -jar quarkus-run.jar) > /dev/null 2>&1 &
  started=$!
}
worker=
if [ "${SPLIT:-1}" = 1 ]; then
  echo "one api process and one worker process"
  broker_process api bench $port $management; service=$started
  broker_process worker bench-w $((port + 1)) $((management + 1)); worker=$started
else
  echo "one process, role all"
  broker_process all bench $port $management; service=$started
fi
queues="$prefix.items.simulated $prefix.items.digits $prefix.dead $prefix.results.bench"
trap 'kill $service $worker 2> /dev/null; for q in $queues; do rabbitmqctl -q delete_queue $q > /dev/null; done' EXIT
until curl -sf localhost:$management/q/health/ready > /dev/null; do sleep 1; done
if [ -n "$worker" ]; then
  until curl -sf localhost:$((management + 1))/q/health/ready > /dev/null; do sleep 1; done
fi
field() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
# CPU time (clock ticks) a process has used so far; - when there is none
ticks() { if [ -n "$1" ] && [ -r /proc/$1/stat ]; then awk '{ print $14 + $15 }' /proc/$1/stat; else echo -; fi; }
# the service's: the api's and the worker's together
service_ticks() {
  local a b=0; a=$(ticks "$service")
  if [ -n "$worker" ]; then b=$(ticks "$worker"); fi
  if [ "$a" = - ] || [ "$b" = - ]; then echo -; else echo $((a + b)); fi
}
broker=$(pgrep -o -f 'beam\.smp.*rabbit' || true) # RabbitMQ's Erlang VM, not a rabbitmqctl's
# runs the spec in $1 once, and prints "<state>: <items>, <items/s>" and the CPU each item took in the broker and in
# the service (microseconds: CPU time, so less moved by other work on a shared host than the items/s)
one() {
  b0=$(ticks "$broker"); s0=$(service_ticks)
  id=$(curl -s -XPOST localhost:$port/api/runs -H 'Content-Type: application/json' -d "$1" | field 'd["id"]')
  while [ "$(curl -s localhost:$port/api/runs/$id | field 'd["state"]')" = running ]; do sleep 1; done
  curl -s localhost:$port/api/runs/$id | python3 -c '
import sys, json
d = json.load(sys.stdin)
hz, b0, b1, s0, s1 = sys.argv[1:]
us = 1e6 / int(hz) / max(1, d["counts"]["processed"])
cpu = lambda t0, t1: "n/a" if "-" in (t0, t1) else "%.0f us" % ((int(t1) - int(t0)) * us)
print("%s: %d items, %.0f items/s, CPU an item: broker %s, service %s" % (d["state"], d["counts"]["processed"],
      d["stats"]["throughput"], cpu(b0, b1), cpu(s0, s1)))' "$(getconf CLK_TCK)" "$b0" "$(ticks "$broker")" "$s0" \
    "$(service_ticks)"
}
# runs the spec in $1 RUNS times, each printed on stderr; prints the median items/s
median() {
  for run in $(seq "${RUNS:-3}"); do one "$1" | tee -a /dev/stderr; done | sed 's/.*, \([0-9]*\) items\/s.*/\1/' | sort -g \
    | awk '{ r[NR] = $1 } END { print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}
echo "simulated, inferenceMs 0, through the broker:"
for run in $(seq "${RUNS:-3}"); do one "$(cat target/broker-bench-run.json)"; done
digits="{\"model\": \"digits\", \"dataset\": \"digits\", \"repeat\": ${DIGITS_REPEAT:-5}}"
echo "digits, through the broker (warm-up: $(one "$digits")):"
through=$(median "$digits")
kill $service $worker 2> /dev/null || true
for p in $service $worker; do while kill -0 $p 2> /dev/null; do sleep 0.2; done; done
worker=
(cd "$app" && exec java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port -Dquarkus.management.host=127.0.0.1 \
  -Dquarkus.management.port=$management -Dmlpipe.instance-id=bench -jar quarkus-run.jar > /dev/null 2>&1) &
service=$!
until curl -sf localhost:$management/q/health/ready > /dev/null; do sleep 1; done
echo "digits, in one process, the baseline (warm-up: $(one "$digits")):"
inprocess=$(median "$digits")
python3 -c "print('digits items/s, median: through the broker %.0f, in one process %.0f, ratio %.2f' % ($through, $inprocess, $through / $inprocess))"
