#!/usr/bin/env bash
# Builds mlpipe and runs every benchmark scenario several times in one run, baseline included, then writes the
# medians to BENCHMARKS.md (between its bench markers). Usage: bench/run.sh [--repeats N] [--smoke] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q package -DskipTests
mkdir -p target/bench
javac -d target/bench bench/Baseline.java
jackson=$(ls target/quarkus-app/lib/main/com.fasterxml.jackson.core.jackson-core-*.jar | head -1)
javac -d target/bench -cp "$jackson" bench/Bench.java
java -cp "target/bench:$jackson" Bench --baseline-cp target/bench --command "bench/run.sh $*" "$@"
