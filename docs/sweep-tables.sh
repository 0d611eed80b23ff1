#!/usr/bin/env bash
# Writes the two sweep tables of docs/experiments.md (between its sweep-table markers) from a real run: starts the
# packaged jar as docs/operations.md says to run it in production, on free ports of 127.0.0.1, posts the two sweeps
# the page shows, waits for each to end, and writes each table with the date, the machine, the load and the command.
# Usage: docs/sweep-tables.sh [--no-build]      (a few minutes: about 2 minutes of sweeps, plus the build)
set -euo pipefail
cd "$(dirname "$0")/.."

[ "${1:-}" = --no-build ] || ./mvnw -B -q package -DskipTests
# two free ports, both sockets open at once: one closed before the next is chosen could be handed out again
read -r port management < <(python3 -c 'import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
out=target/sweep-tables
mkdir -p "$out"
load_before=$(cut -d' ' -f1 /proc/loadavg)

(cd target/quarkus-app && MLPIPE_AUTH_OPERATOR_PASSWORD=$password exec java -XX:SharedArchiveFile=app-cds.jsa \
    -XX:+UseSerialGC -Xmx256m -Xmn32m -XX:+ExitOnOutOfMemoryError \
    -XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
    -jar quarkus-run.jar) > "$out/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$management/q/health/ready" > /dev/null; do
    kill -0 $service 2>/dev/null || { echo "the service did not start:"; cat "$out/service.log"; exit 1; }
    sleep 0.5
done

# posts a sweep, follows its event stream to the end, and keeps its final JSON as $out/<name>.json
sweep() {
    local location
    location=$(curl -sf -o /dev/null -w '%header{location}' -u "operator:$password" -XPOST \
        "http://127.0.0.1:$port/api/sweeps" -H 'content-type: application/json' -d "$2")
    curl -sfN -u "operator:$password" "$location/events" > /dev/null
    curl -sf -u "operator:$password" "$location" > "$out/$1.json"
    printf '%s\n' "$2" > "$out/$1.spec"
    echo "sweep $1: $(python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])' < "$out/$1.json")"
}
sweep load-interval '{"run": {"inferenceMs": 10, "maxItems": 300, "sentinel": null}, "vary": {"loadIntervalMs": [40, 20, 12, 10, 8, 5, 0]}, "repeats": 3, "sloMs": 200}'
sweep concurrency '{"run": {"inferenceMs": 10, "maxItems": 300, "sentinel": null}, "pipeline": {"capacity": 10}, "vary": {"concurrency": [1, 2, 4, 8]}, "repeats": 3, "sloMs": 200}'
load_after=$(cut -d' ' -f1 /proc/loadavg)

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, \
$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo); \
$(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/JDK \1/')"
commit="$(git rev-parse --short HEAD)$(git diff --quiet -- src pom.xml || echo ', with uncommitted changes')"

python3 - "$out" docs/experiments.md "$machine" "$commit" "$load_before" "$load_after" <<'PY'
import datetime, json, re, sys

out, doc, machine, commit, load_before, load_after = sys.argv[1:]
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

def num(x, digits=1):
    if x is None:
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.{digits}f}"

def row(step, first):
    little = step["littlesLaw"]
    return "| " + " | ".join(first + [
        num(step["offeredLoad"]),
        num(step["predictedThroughput"]),
        num(step["throughput"]),
        f'{step["spread"]["relative"] * 100:.1f}%' + (" (unstable)" if step["spread"]["unstable"] else ""),
        f'{num(step["totalMs"]["p50"])} / {num(step["totalMs"]["p99"])}',
        num(step["queueWaitMs"]["mean"]),
        num(step["meanQueueDepth"], 2),
        f'{step["modelUtilization"] * 100:.0f}%',
        step["verdict"],
        f'{num(little["meanQueueDepth"], 2)}, {num(little["throughputTimesWait"], 2)}',
    ]) + " |"

COLUMNS = ["offered /s", "predicted /s", "throughput /s", "spread", "total p50 / p99 ms", "queue wait mean ms",
           "mean depth", "model busy", "verdict", "Little: L, lambda W"]

def table(name, axis, with_index):
    sweep = json.load(open(f"{out}/{name}.json"))
    spec = open(f"{out}/{name}.spec").read().strip()
    first = (["step"] if with_index else []) + [f"`{axis}`"]
    lines = [
        f"Generated on {when} by `docs/sweep-tables.sh` (commit {commit}) on {machine}; load average "
        f"{load_before} before the sweeps and {load_after} after. "
        f"The packaged jar with the recommended options, the default pipeline but for what the sweep sets; "
        f"the sweep `{spec}`, state `{sweep['state']}`:",
        "",
        "| " + " | ".join(first + COLUMNS) + " |",
        "|" + "---|" * (len(first) + len(COLUMNS)),
    ]
    for step in sweep["steps"]:
        lines.append(row(step, ([str(step["index"])] if with_index else []) + [str(step["at"][axis])]))
    for s in sweep["saturation"]:
        where = "none" if s["step"] is None else f'step {s["step"]}'
        lines += ["", f'`saturation`: {where}, `predictedStep` {s["predictedStep"]}'
                      + (f': "{s["reason"]}"' if s.get("reason") else "") + "."]
    return "\n".join(lines)

text = open(doc).read()
for name, axis, with_index in [("load-interval", "loadIntervalMs", True), ("concurrency", "concurrency", False)]:
    pattern = re.compile(rf"(<!-- sweep-table:begin {name} -->\n).*?(\n<!-- sweep-table:end {name} -->)", re.S)
    if not pattern.search(text):
        sys.exit(f"{doc} has no sweep-table markers for {name}")
    text = pattern.sub(lambda m: m.group(1) + table(name, axis, with_index) + m.group(2), text)
open(doc, "w").write(text)
print(f"wrote the tables of {doc}")
PY
