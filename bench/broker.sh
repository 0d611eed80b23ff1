#!/usr/bin/env bash
# Throughput through RabbitMQ (on 127.0.0.1:5672, guest/guest): one process with the broker profile (role all) runs
# 5,000 items at inferenceMs 0, three times one after the other, and prints each run's items per second.
# Usage: bench/broker.sh [app dir, default target/quarkus-app: another build's for an A/B]. Package first.
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/quarkus-app}
prefix=mlpipe-bench # its queues are deleted afterwards; the exchange stays (rabbitmqctl cannot delete one)
python3 -c 'import json; print(json.dumps({"items": [1 + i % 50 for i in range(5000)], "sentinel": -1,
    "inferenceMs": 0}))' > target/broker-bench-run.json
(cd "$app" && exec java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8124 -Dquarkus.management.host=127.0.0.1 \
  -Dquarkus.management.port=9124 -Dquarkus.profile=broker -Dmlpipe.role=all -Dmlpipe.instance-id=bench \
  -Dmlpipe.broker.namespace=$prefix \
  -Drabbitmq-username=guest -Drabbitmq-password=guest -jar quarkus-run.jar > /dev/null 2>&1) &
service=$!
trap 'kill $service; for q in $prefix.items $prefix.dead $prefix.results.bench; do rabbitmqctl -q delete_queue $q > /dev/null; done' EXIT
until curl -sf localhost:9124/q/health/ready > /dev/null; do sleep 1; done
field() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
for run in 1 2 3; do
  id=$(curl -s -XPOST localhost:8124/api/runs -H 'Content-Type: application/json' -d @target/broker-bench-run.json \
    | field 'd["id"]')
  while [ "$(curl -s localhost:8124/api/runs/$id | field 'd["state"]')" = running ]; do sleep 1; done
  curl -s localhost:8124/api/runs/$id | field '"%s: %d items, %.0f items/s" % (d["state"], d["counts"]["processed"], d["stats"]["throughput"])'
done
