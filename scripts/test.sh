#!/usr/bin/env bash
# The whole test suite (Swift Testing), after installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# Lint first (seconds): any swift-format finding fails the run.
bash scripts/lint.sh --strict
# The release binary runs the shipped scenarios in the command-line tests (reports must be fresh).
swift build -c release --product eventsim
EVENTSIM_BINARY="$(swift build -c release --show-bin-path)/eventsim" swift test
