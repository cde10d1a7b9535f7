#!/usr/bin/env bash
# The storage contract suite runs against a real PostgreSQL. This machine kind runs one at
# 127.0.0.1:5432 with trust auth; if it has stopped, start it again rather than skip the suite.
set -euo pipefail
url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
if pg_isready -q -d "$url" 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null && [[ $(id -u) -eq 0 ]]; then
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -d "$url" && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable at $url." >&2
echo "Start it, or set TEST_DATABASE_URL to a database the tests may create tables in." >&2
exit 1
