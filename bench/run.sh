#!/usr/bin/env bash
# Builds mlpipe, the reference application (bench/hello) and the harness (bench/src), then runs the scenarios of
# bench/README.md several times in one run, each baseline alongside, and writes the medians to BENCHMARKS.md (between
# its bench markers). Usage: bench/run.sh [--repeats N] [--smoke] [--out FILE] [--only GROUP|ID] [--jar JAR]
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q package -DskipTests

# the reference application on mlpipe's own Quarkus version; rebuilt only when it or that version changed
hello=bench/hello/target/quarkus-app/quarkus-run.jar
if [ ! -f "$hello" ] || [ -n "$(find pom.xml bench/hello/pom.xml bench/hello/src -newer "$hello" | head -1)" ]; then
  quarkus=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml | head -1)
  ./mvnw -B -q -f bench/hello/pom.xml package -DskipTests -Dquarkus.platform.version="$quarkus"
fi

# the harness needs Jackson (scenario 2b), Mutiny (the card's construct) and ONNX Runtime (scenario 8's limit),
# from the application's own libraries
lib=target/quarkus-app/lib/main
classpath=target/bench/classes
for jar in com.fasterxml.jackson.core.jackson-core io.smallrye.reactive.mutiny org.jctools.jctools-core \
    io.smallrye.common.smallrye-common-annotation \
    com.microsoft.onnxruntime.onnxruntime; do
  classpath="$classpath:$(ls "$lib/$jar"-[0-9]*.jar | head -1)"
done
rm -rf target/bench/classes
mkdir -p target/bench/classes
javac -d target/bench/classes -cp "$classpath" $(find bench/src -name '*.java')
java -cp "$classpath" dev.mlpipe.bench.Bench --command "bench/run.sh $*" "$@"
