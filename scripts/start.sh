#!/usr/bin/env bash
# The README's start command: the whole system on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh start
exec node --import tsx src/cli/main.ts start "$@"
