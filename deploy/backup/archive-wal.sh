#!/bin/sh
# PostgreSQL archive_command: archive-wal.sh %p %f ARCHIVE_DIR
#
# Copies one WAL segment (or history/backup file) into ARCHIVE_DIR as <name>.gz, atomically and
# durably (temp file, fsync, rename). Exit 0 only once the file is safely stored: PostgreSQL keeps
# the segment and retries while this fails, so a full or missing archive disk shows up as
# "archive_command failed" in the log and pg_stat_archiver.failed_count (alert on it).
#
# Archiving the same segment twice (after a crash between copy and PostgreSQL's bookkeeping) is
# accepted when the content is identical, and refused otherwise: two servers must never write to
# one archive (a restored copy has archive_mode off; see restore-pitr.sh).
set -eu

src=${1:?usage: archive-wal.sh %p %f ARCHIVE_DIR}
name=${2:?usage: archive-wal.sh %p %f ARCHIVE_DIR}
dir=${3:-${WAL_ARCHIVE_DIR:?usage: archive-wal.sh %p %f ARCHIVE_DIR}}

dest="$dir/$name.gz"
if [ -f "$dest" ]; then
  if gzip -dc "$dest" | cmp -s - "$src"; then
    exit 0
  fi
  echo "archive-wal: $dest already exists with different content; refusing to overwrite" >&2
  exit 1
fi

tmp="$dest.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# -1: fastest level. Archiving must keep up with WAL generation; padding of switched segments
# compresses to almost nothing at any level.
gzip -1 -c "$src" >"$tmp"
sync "$tmp"
mv "$tmp" "$dest"
trap - EXIT
sync "$dir"
