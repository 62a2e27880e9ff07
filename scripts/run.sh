#!/usr/bin/env bash
# The main job: builds eventsim (release) and runs the shipped scenarios, writing reports/.
# The default scenario is scenarios/ecommerce-peak.yaml (the EventBridge-versus-SNS comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product eventsim
BIN="$(swift build -c release --show-bin-path)/eventsim"
for scenario in ecommerce-peak high-fanout order-change-stream textbook-mmc; do
    "$BIN" run "scenarios/$scenario.yaml" --out "reports/$scenario"
done
