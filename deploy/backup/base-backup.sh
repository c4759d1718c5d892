#!/usr/bin/env bash
# Takes a base backup of a running PostgreSQL and prunes old backups and the WAL they no longer
# need. Run daily (cron, a Kubernetes CronJob, or `docker compose exec -u postgres postgres ...`);
# CloudNativePG clusters use their ScheduledBackup instead (k8s/base/postgres/).
#
#   BACKUP_DIR=/var/lib/postgresql/backups WAL_ARCHIVE_DIR=/var/lib/postgresql/wal-archive \
#     PGHOST=... PGUSER=postgres deploy/backup/base-backup.sh
#
# Each backup is a directory base-<UTC timestamp>/ with base.tar.gz, pg_wal.tar.gz (the WAL
# written during the backup, so it restores even without the archive), backup_manifest and
# backup.info. A backup is written as *.partial and renamed only when complete and readable.
#
# Environment:
#   BACKUP_DIR       where backups go (required)
#   WAL_ARCHIVE_DIR  the archive of archive-wal.sh; WAL older than the oldest kept backup is
#                    removed from it (optional: without it the archive is left alone)
#   BACKUP_KEEP      how many complete backups to keep (default 8: a week of dailies + 1)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "$0")/common.sh"

BACKUP_DIR=${BACKUP_DIR:?set BACKUP_DIR}
BACKUP_KEEP=${BACKUP_KEEP:-8}
[[ $BACKUP_KEEP =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a positive integer"
need tar gzip

label="base-$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/$label.partial"
mkdir -p "$BACKUP_DIR"
[[ ! -e $BACKUP_DIR/$label && ! -e $target ]] || die "$label already exists (one backup per second at most)"
trap 'rm -rf "$target"' ERR

started=$(now)
log "base backup $label starting"
# -X stream: the WAL needed to make the copy consistent is taken over a second connection and
# stored beside it. --checkpoint=fast: start now rather than at the next scheduled checkpoint.
"$(pg_bin pg_basebackup)" --pgdata="$target" --format=tar --gzip --wal-method=stream \
  --checkpoint=fast --label="$label" --no-password
# A truncated or corrupt archive must fail the backup now, not the restore later.
gzip -t "$target/base.tar.gz" "$target/pg_wal.tar.gz"

# backup_label records where replay must start; the WAL cleanup below keeps everything from there.
backup_label=$(tar -xzOf "$target/base.tar.gz" backup_label)
start_wal=$(sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]\{24\}\))$/\1/p' <<<"$backup_label")
start_time=$(sed -n 's/^START TIME: //p' <<<"$backup_label")
[[ -n $start_wal ]] || die "cannot read the start WAL file from backup_label"
cat >"$target/backup.info" <<EOF
label=$label
start_wal=$start_wal
start_time=$start_time
finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
size_bytes=$(du -sb "$target" | cut -f1)
EOF
mv "$target" "$BACKUP_DIR/$label"
trap - ERR
log "base backup $label done in $(elapsed "$started" "$(now)") s ($(du -sh "$BACKUP_DIR/$label" | cut -f1)), starts at WAL $start_wal"

# Retention: keep the newest BACKUP_KEEP backups; WAL is needed from the oldest kept one onwards.
mapfile -t backups < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'base-*' ! -name '*.partial' | sort)
excess=$((${#backups[@]} - BACKUP_KEEP))
for ((i = 0; i < excess; i++)); do
  log "removing old backup ${backups[i]##*/}"
  rm -rf "${backups[i]}"
done
if [[ -n ${WAL_ARCHIVE_DIR:-} ]]; then
  oldest=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'base-*' ! -name '*.partial' | sort | head -n1)
  keep_from=$(sed -n 's/^start_wal=//p' "$oldest/backup.info")
  # -x .gz: archive-wal.sh stores segments compressed. History files are always kept.
  "$(pg_bin pg_archivecleanup)" -x .gz "$WAL_ARCHIVE_DIR" "$keep_from"
  log "WAL archive pruned to segments from $keep_from (oldest kept backup ${oldest##*/})"
fi
