#!/bin/sh
# PostgreSQL restore_command: restore-wal.sh %f %p ARCHIVE_DIR
#
# Fetches one archived file written by archive-wal.sh. Exits 1 when the file is not in the
# archive: during recovery that is the normal signal that the archive has been replayed to its
# end (or, for a *.history file, that no such timeline exists).
set -eu

name=${1:?usage: restore-wal.sh %f %p ARCHIVE_DIR}
dest=${2:?usage: restore-wal.sh %f %p ARCHIVE_DIR}
dir=${3:-${WAL_ARCHIVE_DIR:?usage: restore-wal.sh %f %p ARCHIVE_DIR}}

tmp="$dest.restoring.$$"
trap 'rm -f "$tmp"' EXIT
if [ -f "$dir/$name.gz" ]; then
  gzip -dc "$dir/$name.gz" >"$tmp"
elif [ -f "$dir/$name" ]; then
  cp "$dir/$name" "$tmp"
else
  exit 1
fi
mv "$tmp" "$dest"
trap - EXIT
