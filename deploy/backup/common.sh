# shellcheck shell=bash
# Shared helpers of the backup scripts (sourced, not run). Connection settings are libpq's own
# variables (PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass): the scripts never take a password
# on the command line.

set -euo pipefail

BACKUP_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BACKUP_SCRIPTS_DIR

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# PostgreSQL server binaries (initdb, pg_ctl) are off PATH on Debian; PG_BIN overrides.
pg_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    printf '%s/%s' "$PG_BIN" "$1"
  elif command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
  else
    local found
    found=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path "*/bin/$1" 2>/dev/null | sort -V | tail -n1)
    [[ -n $found ]] || die "$1 not found: install the PostgreSQL server package or set PG_BIN"
    printf '%s' "$found"
  fi
}

# Prints the script's header comment (its manual) and exits.
usage() {
  awk 'NR == 1 || /^# shellcheck/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
  exit "${1:-2}"
}

need() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
}

# Epoch seconds with fractions, for durations.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# The newest complete base backup under $1 (directories named base-<UTC timestamp>).
latest_backup() {
  local found
  found=$(find "$1" -mindepth 1 -maxdepth 1 -type d -name 'base-*' ! -name '*.partial' | sort | tail -n1)
  [[ -n $found ]] || die "no complete base backup in $1"
  printf '%s' "$found"
}
