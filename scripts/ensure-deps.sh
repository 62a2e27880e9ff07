#!/usr/bin/env bash
# Installs what eventsim needs from Debian when it is missing: GSL (libgsl-dev) and pkg-config.
set -euo pipefail
if pkg-config --exists gsl 2>/dev/null; then
    exit 0
fi
echo "eventsim: installing libgsl-dev and pkg-config" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null
pkg-config --exists gsl
