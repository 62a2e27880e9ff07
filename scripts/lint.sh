#!/usr/bin/env bash
# Lint: swift-format (ships with the toolchain) with the committed .swift-format, over Sources and Tests.
# Prints every finding; exits non-zero on any with --strict (pass it to fail on findings).
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --recursive --parallel "$@" Sources Tests Package.swift
