#!/usr/bin/env bash
# Installs the Debian packages a command needs, so that both README commands work on a bare machine.
# As root it runs apt-get itself; otherwise it prints the one command to run and fails.
# Usage: ensure-system-packages.sh start|test
set -euo pipefail
profile=${1:?usage: ensure-system-packages.sh start|test}
here=$(cd "$(dirname "$0")" && pwd)

packages=()
while read -r name profiles; do
  [[ -z $name || $name == \#* ]] && continue
  [[ ",$profiles," == *",$profile,"* ]] && packages+=("$name")
done <"$here/system-packages.txt"

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "idbridge needs these Debian packages: ${missing[*]}" >&2
  echo "Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start daemons here: the lab starts its own samba on its own address.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
trap '((created_policy)) && rm -f "$policy"' EXIT
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
