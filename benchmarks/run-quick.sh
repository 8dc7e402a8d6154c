#!/usr/bin/env bash
# Builds the benchmark jar and runs every JMH benchmark once, briefly (one fork, short iterations),
# writing JSON to benchmarks/results/quick.json. A smoke run of a few minutes: for figures worth
# quoting, run one benchmark with the longer settings given in its Javadoc.
#
#   bash benchmarks/run-quick.sh                 # everything
#   bash benchmarks/run-quick.sh HomeRegion      # only benchmarks whose name matches a regex
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
mkdir -p benchmarks/results
java -jar benchmarks/target/benchmarks.jar "${1:-.*}" \
    -f 1 -wi 1 -w 1s -i 2 -r 2s \
    -rf json -rff benchmarks/results/quick.json
