#!/usr/bin/env bash
# Restore drill (seed: "Simulacro mensual de recuperación"): loses a database on purpose,
# restores it from a base backup and the WAL archive, checks it, and prints the measured
# RPO (data lost, target 5 min) and RTO (time until the restored database serves, target 30 min).
# Exits 1 when a target is missed or a check fails. Never touches the server it measures.
#
# Self-contained (default): builds a scratch primary with the project's own settings
# (deploy/postgres/conf.d, archive-wal.sh, base-backup.sh), writes to it under load (pgbench plus
# a heartbeat row every 200 ms), kills it (immediate stop, data directory discarded), then
# restores with restore-pitr.sh. Proves the whole chain on this machine's PostgreSQL binaries.
#
#   runuser -u postgres -- deploy/backup/restore-drill.sh [--seconds 90] [--scale 5]
#       [--archive-timeout 60] [--with-migrations] [--keep]
#
# Real backups: restores the newest base backup plus the archive of a real server into a scratch
# directory. With --source, first commits a marker transaction there; the RPO is the time from
# that commit to the last transaction the archive gives back, which is what a total loss of the
# server at that moment would cost. Without --source the reference is --incident-time (default:
# now), an upper bound when the server was idle.
#
#   runuser -u postgres -- deploy/backup/restore-drill.sh --backup-dir /var/lib/postgresql/backups \
#       --wal-dir /var/lib/postgresql/wal-archive [--source 'host=db user=postgres dbname=trustno1']
#       [--database trustno1]
#
# Environment: RPO_TARGET_S (300), RTO_TARGET_S (1800), DRILL_DIR (scratch parent, /tmp),
# DRILL_SOURCE_PORT (55432), DRILL_RESTORE_PORT (55433), PG_BIN (server binaries).
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

RPO_TARGET_S=${RPO_TARGET_S:-300}
RTO_TARGET_S=${RTO_TARGET_S:-1800}
src_port=${DRILL_SOURCE_PORT:-55432}
restore_port=${DRILL_RESTORE_PORT:-55433}
seconds=90
scale=5
archive_timeout=""
with_migrations=false
keep=false
backup_dir=""
wal_dir=""
source_conninfo=""
incident_time=""
database=trustno1

while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --archive-timeout) archive_timeout=$2; shift 2 ;;
    --with-migrations) with_migrations=true; shift ;;
    --keep) keep=true; shift ;;
    --backup-dir) backup_dir=$2; shift 2 ;;
    --wal-dir) wal_dir=$2; shift 2 ;;
    --source) source_conninfo=$2; shift 2 ;;
    --incident-time) incident_time=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) log "unknown argument $1"; usage ;;
  esac
done

[[ $EUID -ne 0 ]] || die "run as the postgres OS user (e.g. runuser -u postgres -- $0 ...), not root"
need psql pgbench tar gzip awk
repo_root=$(cd "$BACKUP_SCRIPTS_DIR/../.." && pwd)
work=$(mktemp -d "${DRILL_DIR:-/tmp}/trustno1-drill.XXXXXX")
restored="$work/restored"
heartbeat_pid=""

cleanup() {
  local status=$?
  [[ -n $heartbeat_pid ]] && kill "$heartbeat_pid" 2>/dev/null
  for dir in "$work/source" "$restored"; do
    [[ -f $dir/postmaster.pid ]] && "$(pg_bin pg_ctl)" --pgdata="$dir" --mode=immediate stop >/dev/null 2>&1
  done
  if $keep || ((status != 0)); then
    log "scratch files kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# psql against a scratch server (TCP on localhost only).
q() {
  local port=$1 db=$2
  shift 2
  psql -X -A -t -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}

start_server() {
  local dir=$1 port=$2
  "$(pg_bin pg_ctl)" --pgdata="$dir" --log="$dir.log" --wait \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $work" start >/dev/null ||
    { tail -n 30 "$dir.log" >&2; die "server in $dir did not start"; }
}

# ---------------------------------------------------------------------------------------------
# The loss: either a scratch primary killed under load, or (real backups) a reference instant.
# ---------------------------------------------------------------------------------------------
self_contained_loss() {
  local src="$work/source"
  archive="$work/wal-archive"
  backups="$work/backups"
  mkdir -p "$archive" "$backups"

  log "creating a scratch primary with deploy/postgres/conf.d (port $src_port)"
  "$(pg_bin initdb)" --pgdata="$src" --username=postgres --auth=trust --encoding=UTF8 --locale=C >"$work/initdb.log"
  printf "\ninclude_dir = '%s'\n" "$repo_root/deploy/postgres/conf.d" >>"$src/postgresql.conf"
  {
    # Same archiving as production, into this drill's own archive.
    printf "archive_command = '%s \"%%p\" \"%%f\" %s'\n" "$BACKUP_SCRIPTS_DIR/archive-wal.sh" "$archive"
    [[ -z $archive_timeout ]] || printf "archive_timeout = '%ss'\n" "$archive_timeout"
    printf "shared_buffers = '128MB'\nmax_wal_size = '1GB'\n"
  } >>"$src/postgresql.auto.conf"
  start_server "$src" "$src_port"
  log "archive_timeout in force: $(q "$src_port" postgres -c 'SHOW archive_timeout')"

  q "$src_port" postgres -c 'CREATE DATABASE drill'
  q "$src_port" drill -c 'CREATE TABLE drill_heartbeat (id bigserial PRIMARY KEY, ts timestamptz NOT NULL DEFAULT clock_timestamp())'
  pgbench -i -q -s "$scale" -h 127.0.0.1 -p "$src_port" -U postgres drill 2>"$work/pgbench-init.log" ||
    { cat "$work/pgbench-init.log" >&2; die "pgbench -i failed"; }
  if $with_migrations; then
    log "applying the project's migrations (npm run db:migrate)"
    (cd "$repo_root" && DATABASE_URL="postgresql://postgres@127.0.0.1:$src_port/$database" npm run --silent db:migrate) >"$work/migrate.log" 2>&1 ||
      { cat "$work/migrate.log" >&2; die "migrations failed on the scratch primary"; }
  fi

  log "base backup with deploy/backup/base-backup.sh"
  BACKUP_DIR="$backups" WAL_ARCHIVE_DIR="$archive" PGHOST=127.0.0.1 PGPORT=$src_port PGUSER=postgres \
    "$BACKUP_SCRIPTS_DIR/base-backup.sh" 2>"$work/base-backup.log" ||
    { cat "$work/base-backup.log" >&2; die "base backup failed"; }

  log "writing for $seconds s: pgbench (4 clients) and a heartbeat row every 200 ms"
  while :; do
    echo 'INSERT INTO drill_heartbeat DEFAULT VALUES;'
    sleep 0.2
  done | psql -X -q -h 127.0.0.1 -p "$src_port" -U postgres -d drill >/dev/null 2>&1 &
  heartbeat_pid=$!
  pgbench -n -c 4 -j 2 -T "$seconds" -h 127.0.0.1 -p "$src_port" -U postgres drill >"$work/pgbench.log" 2>&1 ||
    { cat "$work/pgbench.log" >&2; die "pgbench failed"; }
  kill "$heartbeat_pid" 2>/dev/null || true
  wait "$heartbeat_pid" 2>/dev/null || true
  heartbeat_pid=""

  # What the primary had committed when it was lost.
  reference=$(q "$src_port" drill -c "SELECT max(ts) FROM drill_heartbeat")
  source_rows=$(q "$src_port" drill -c "SELECT count(*) FROM drill_heartbeat")
  log "primary lost now: immediate stop, data directory discarded (last heartbeat $reference)"
  loss_at=$(now)
  "$(pg_bin pg_ctl)" --pgdata="$src" --mode=immediate stop >/dev/null
  rm -rf "$src"
  check_db=drill
}

real_backup_loss() {
  archive=$wal_dir
  backups=$backup_dir
  [[ -d $backups && -d $archive ]] || die "--backup-dir and --wal-dir must both exist"
  if [[ -n $source_conninfo ]]; then
    # A committed transaction with a known time: assigning an xid forces a commit record.
    reference=$(psql -X -A -t -q -v ON_ERROR_STOP=1 "$source_conninfo" -c 'SELECT now() FROM (SELECT txid_current()) AS marker')
    log "marker transaction committed on the source at $reference"
  else
    reference=${incident_time:-$(date -u +'%Y-%m-%d %H:%M:%S.%N+00')}
    log "reference instant $reference (no --source: RPO is an upper bound if the server was idle)"
  fi
  loss_at=$(now)
  check_db=$database
}

if [[ -n $backup_dir || -n $wal_dir ]]; then
  real_backup_loss
else
  self_contained_loss
fi
backup=$(latest_backup "$backups")

# ---------------------------------------------------------------------------------------------
# Recovery: restore, promote, check. RTO runs from the loss to the end of the checks.
# ---------------------------------------------------------------------------------------------
log "restoring ${backup##*/} and $(find "$archive" -maxdepth 1 -type f | wc -l) archived WAL files"
"$BACKUP_SCRIPTS_DIR/restore-pitr.sh" --backup-dir "$backups" --wal-dir "$archive" --backup "$backup" \
  --data-dir "$restored" --start --port "$restore_port" --socket-dir "$work" --listen 127.0.0.1 2>"$work/restore.log" ||
  { cat "$work/restore.log" >&2; die "restore failed"; }

checks=()
fail=false
check() {
  local name=$1 result=$2
  if [[ $result == t ]]; then checks+=("ok    $name"); else checks+=("FAIL  $name ($result)"); fail=true; fi
}
replayed_until=$(q "$restore_port" postgres -c 'SELECT pg_last_xact_replay_timestamp()')
if [[ $check_db == drill ]]; then
  restored_last=$(q "$restore_port" drill -c 'SELECT max(ts) FROM drill_heartbeat')
  restored_rows=$(q "$restore_port" drill -c 'SELECT count(*) FROM drill_heartbeat')
  # pgbench's transactions add the same delta to an account and to the history in one commit:
  # the sums agree in every transaction-consistent state, and only in those.
  check "pgbench ledger consistent (sum of balances = sum of history)" \
    "$(q "$restore_port" drill -c 'SELECT (SELECT sum(abalance) FROM pgbench_accounts) = (SELECT coalesce(sum(delta), 0) FROM pgbench_history)')"
  check "heartbeat rows recovered: $restored_rows of $source_rows" "$(q "$restore_port" drill -c "SELECT $restored_rows > 0")"
  rpo=$(q "$restore_port" postgres -c "SELECT round(extract(epoch FROM timestamptz '$reference' - timestamptz '$restored_last')::numeric, 1)")
else
  restored_last=$replayed_until
  check "database $check_db accepts queries" "$(q "$restore_port" "$check_db" -c 'SELECT true')"
  if [[ -z $restored_last ]]; then
    # Nothing replayed after the backup: the backup's own start bounds what was kept.
    restored_last=$(sed -n 's/^start_time=//p' "$backup/backup.info")
  fi
  rpo=$(q "$restore_port" postgres -c "SELECT round(greatest(0, extract(epoch FROM timestamptz '$reference' - timestamptz '$restored_last'))::numeric, 1)")
fi
# The project's schema, when the restored server has it (real backups, or --with-migrations).
if [[ $(q "$restore_port" postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$database'") == 1 ]] &&
  [[ $(q "$restore_port" "$database" -c "SELECT to_regclass('_prisma_migrations') IS NOT NULL") == t ]]; then
  applied=$(q "$restore_port" "$database" -c 'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
  check "$database: $applied migrations recorded as applied" "$(q "$restore_port" postgres -c "SELECT $applied > 0")"
fi
rto=$(elapsed "$loss_at" "$(now)")

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "PASS" : "FAIL" }'; }
rpo_verdict=$(verdict "$rpo" "$RPO_TARGET_S")
rto_verdict=$(verdict "$rto" "$RTO_TARGET_S")
[[ $rpo_verdict == PASS && $rto_verdict == PASS ]] || fail=true

cat <<EOF

== TRUST-NO-1 restore drill ($(date -u +%Y-%m-%dT%H:%M:%SZ))
base backup          ${backup##*/} ($(du -sh "$backup" | cut -f1))
WAL archive          $(find "$archive" -maxdepth 1 -name '*.gz' | wc -l) files, $(du -sh "$archive" | cut -f1)
last commit, source  $reference
last commit, restore $restored_last (replay reached $replayed_until)
$(printf '%s\n' "${checks[@]}")
RPO  ${rpo} s   target ${RPO_TARGET_S} s   $rpo_verdict
RTO  ${rto} s   target ${RTO_TARGET_S} s   $rto_verdict
RPO_SECONDS=$rpo RTO_SECONDS=$rto RESULT=$($fail && echo FAIL || echo PASS)
EOF
! $fail
