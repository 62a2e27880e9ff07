#!/usr/bin/env bash
# The whole test suite (Swift Testing), after installing what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift test
