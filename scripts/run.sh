#!/usr/bin/env bash
# The main job: builds eventsim (release), runs the EventBridge-versus-SNS comparison on the default scenario
# (scenarios/ecommerce-peak.yaml) and every other shipped scenario, and searches capacity, writing reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product eventsim
BIN="$(swift build -c release --show-bin-path)/eventsim"
for scenario in ecommerce-peak high-fanout order-change-stream textbook-mmc; do
    "$BIN" compare "scenarios/$scenario.yaml" --out "reports/$scenario" --html
done
"$BIN" capacity scenarios/ecommerce-peak.yaml --out reports/ecommerce-peak --precision 0.05 --html
"$BIN" capacity scenarios/high-fanout.yaml --out reports/high-fanout --replications 1 --precision 0.2 --html
"$BIN" capacity scenarios/order-change-stream.yaml --out reports/order-change-stream --replications 1 --precision 0.2 --html
"$BIN" capacity scenarios/textbook-mmc.yaml --out reports/textbook-mmc --precision 0.02 --confidence 0.5 --html
