#!/usr/bin/env bash
# Point-in-time restore from a base backup (base-backup.sh) and the WAL archive (archive-wal.sh)
# into a new data directory, optionally starting it and waiting until it is promoted.
#
#   deploy/backup/restore-pitr.sh --backup-dir /var/lib/postgresql/backups \
#     --wal-dir /var/lib/postgresql/wal-archive --data-dir /var/lib/postgresql/restored \
#     [--target-time '2026-11-25 14:03:00+00'] [--backup base-20261125T030000Z] \
#     [--start --port 5433 [--socket-dir DIR] [--listen ADDRESSES]]
#
# Without --target-time, recovery replays every archived segment and promotes at the end of the
# archive (the newest state that survives the loss of the server). With it, recovery stops just
# after the last transaction committed at or before that time (e.g. right before a bad
# migration or a griefing bug) and promotes there. The base backup used is the newest one that
# finished before the target, unless --backup names one.
#
# The restored server gets archive_mode = off: a copy must never write into the archive of the
# server it came from. To make it the new primary, see docs/operations.md ("Restore"), which
# turns archiving back on (it continues on a new timeline, so the old history stays intact).
#
# Runs as the OS user that will own the data directory (postgres), never as root.
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

backup_dir=${BACKUP_DIR:-}
wal_dir=${WAL_ARCHIVE_DIR:-}
data_dir=""
backup=""
target_time=""
start=false
port=5433
socket_dir=""
listen=""
timeout_s=${RESTORE_TIMEOUT_S:-1800}

while [[ $# -gt 0 ]]; do
  case $1 in
    --backup-dir) backup_dir=$2; shift 2 ;;
    --wal-dir) wal_dir=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --backup) backup=$2; shift 2 ;;
    --target-time) target_time=$2; shift 2 ;;
    --start) start=true; shift ;;
    --port) port=$2; shift 2 ;;
    --socket-dir) socket_dir=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) log "unknown argument $1"; usage ;;
  esac
done

[[ $EUID -ne 0 ]] || die "run as the postgres OS user (e.g. runuser -u postgres -- $0 ...), not root"
[[ -n $backup_dir && -d $backup_dir ]] || die "--backup-dir (or BACKUP_DIR) must name the backups directory"
[[ -n $wal_dir && -d $wal_dir ]] || die "--wal-dir (or WAL_ARCHIVE_DIR) must name the WAL archive"
[[ -n $data_dir ]] || die "--data-dir is required"
if [[ -e $data_dir && -n $(ls -A "$data_dir" 2>/dev/null) ]]; then
  die "$data_dir is not empty: restore into a new directory, never over a live one"
fi
need tar gzip psql

# Pick the base backup: named, or the newest that finished before the target.
if [[ -n $backup ]]; then
  [[ $backup == /* ]] || backup="$backup_dir/$backup"
elif [[ -n $target_time ]]; then
  target_epoch=$(date -d "$target_time" +%s) || die "cannot parse --target-time '$target_time'"
  backup=""
  while read -r candidate; do
    finished=$(sed -n 's/^finished_at=//p' "$candidate/backup.info")
    if [[ -n $finished ]] && (($(date -d "$finished" +%s) < target_epoch)); then backup=$candidate; fi
  done < <(find "$backup_dir" -mindepth 1 -maxdepth 1 -type d -name 'base-*' ! -name '*.partial' | sort)
  [[ -n $backup ]] || die "no base backup finished before $target_time"
else
  backup=$(latest_backup "$backup_dir")
fi
[[ -f $backup/base.tar.gz ]] || die "$backup is not a base backup made by base-backup.sh"

started=$(now)
log "restoring ${backup##*/} into $data_dir"
mkdir -p "$data_dir"
chmod 700 "$data_dir"
tar -xzf "$backup/base.tar.gz" -C "$data_dir"
mkdir -p "$data_dir/pg_wal"
tar -xzf "$backup/pg_wal.tar.gz" -C "$data_dir/pg_wal"
# A restored server must not report the source's stale pid or stats.
rm -f "$data_dir/postmaster.pid" "$data_dir/postmaster.opts"

{
  printf '\n# --- added by restore-pitr.sh on %s from %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${backup##*/}"
  printf "restore_command = '%s \"%%f\" \"%%p\" %s'\n" "$BACKUP_SCRIPTS_DIR/restore-wal.sh" "$wal_dir"
  printf "recovery_target_timeline = 'latest'\n"
  if [[ -n $target_time ]]; then
    printf "recovery_target_time = '%s'\n" "$target_time"
  fi
  printf "recovery_target_action = 'promote'\n"
  printf "archive_mode = off\n"
} >>"$data_dir/postgresql.auto.conf"
touch "$data_dir/recovery.signal"
log "data directory ready in $(elapsed "$started" "$(now)") s (recovery.signal set${target_time:+, target $target_time})"

$start || exit 0

socket_dir=${socket_dir:-$data_dir}
"$(pg_bin pg_ctl)" --pgdata="$data_dir" --log="$data_dir/restore.log" --wait --timeout="$timeout_s" \
  -o "-p $port -k $socket_dir -c listen_addresses='$listen'" start >/dev/null ||
  { tail -n 30 "$data_dir/restore.log" >&2; die "restored server did not start"; }

# pg_ctl returns once the server accepts read-only connections; replay goes on until promotion.
deadline=$(($(date +%s) + timeout_s))
until [[ $(psql -h "$socket_dir" -p "$port" -U "${PGUSER:-postgres}" -d postgres -XAtqc 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]]; do
  if ! "$(pg_bin pg_ctl)" --pgdata="$data_dir" status >/dev/null; then
    tail -n 30 "$data_dir/restore.log" >&2
    die "recovery stopped (target not reachable from this backup and archive?)"
  fi
  (($(date +%s) < deadline)) || die "recovery not finished after ${timeout_s} s"
  sleep 0.5
done
log "restored server promoted and accepting writes on port $port ($(elapsed "$started" "$(now)") s since restore start)"
