#!/usr/bin/env bash
# Restore drill on Kubernetes: recovers the CloudNativePG cluster's object-store backups (newest
# base backup + archived WAL) into a new, throwaway cluster beside it, checks it, prints the RPO
# and RTO, and deletes it. The source cluster is only read.
#
#   deploy/backup/cnpg-restore-drill.sh [--keep]
#
# RTO: from the start of the drill to the recovered cluster being Ready and answering queries
# (with a node to spare; a real incident adds the time to decide and to repoint the apps).
# RPO: the source's WAL archive lag when the drill starts, from pg_stat_archiver: what a loss of
# the whole cluster at that instant would cost. Losing one instance costs at most the replicas'
# streaming lag (seconds); this measures the disaster case only the archive covers.
#
# Environment: NAMESPACE (trustno1), CLUSTER (trustno1-pg), DATABASE (trustno1),
# RPO_TARGET_S (300), RTO_TARGET_S (1800), DRILL_TIMEOUT (30m).
set -euo pipefail

ns=${NAMESPACE:-trustno1}
cluster=${CLUSTER:-trustno1-pg}
database=${DATABASE:-trustno1}
drill="$cluster-drill"
keep=false
[[ ${1:-} == --keep ]] && keep=true
kc() { kubectl --namespace "$ns" "$@"; }
psql_on() { kc exec "$1" -c postgres -- psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$2" -c "$3"; }

started=$(date +%s)
primary=$(kc get cluster "$cluster" -o jsonpath='{.status.currentPrimary}')
[[ -n $primary ]] || { echo "cluster $cluster has no primary" >&2; exit 1; }
# Seconds of WAL not yet archived: 0 when nothing was written since the last archived segment.
rpo=$(psql_on "$primary" postgres "
  SELECT CASE WHEN pg_walfile_name(pg_current_wal_lsn()) > coalesce(last_archived_wal, '')
              THEN round(extract(epoch FROM now() - coalesce(last_archived_time, pg_postmaster_start_time()))::numeric, 1)
              ELSE 0 END
    FROM pg_stat_archiver")
store=$(kc get cluster "$cluster" -o jsonpath='{.spec.backup.barmanObjectStore}')
[[ -n $store ]] || { echo "cluster $cluster has no barmanObjectStore: nothing to restore from" >&2; exit 1; }
size=$(kc get cluster "$cluster" -o jsonpath='{.spec.storage.size}')
wal_size=$(kc get cluster "$cluster" -o jsonpath='{.spec.walStorage.size}')
wal_storage=""
[[ -z $wal_size ]] || wal_storage="\"walStorage\": { \"size\": \"$wal_size\" },"

cleanup() { $keep || kc delete cluster "$drill" --ignore-not-found --wait=false >/dev/null; }
trap cleanup EXIT

# One instance, same volumes, recovering from the source's object store. No backup section: a
# recovered cluster must never archive into the source's path.
kc apply -f - <<EOF
{
  "apiVersion": "postgresql.cnpg.io/v1",
  "kind": "Cluster",
  "metadata": { "name": "$drill", "labels": { "app.kubernetes.io/part-of": "trustno1", "trustno1.io/restore-drill": "true" } },
  "spec": {
    "instances": 1,
    "storage": { "size": "$size" },
    $wal_storage
    "bootstrap": { "recovery": { "source": "$cluster" } },
    "externalClusters": [ { "name": "$cluster", "barmanObjectStore": $store } ]
  }
}
EOF
kc wait --for=condition=Ready "cluster.postgresql.cnpg.io/$drill" --timeout="${DRILL_TIMEOUT:-30m}"
restored=$(kc get cluster "$drill" -o jsonpath='{.status.currentPrimary}')
migrations=$(psql_on "$restored" "$database" 'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL')
tables=$(psql_on "$restored" "$database" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
rto=$(($(date +%s) - started))

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "PASS" : "FAIL" }'; }
rpo_verdict=$(verdict "$rpo" "${RPO_TARGET_S:-300}")
rto_verdict=$(verdict "$rto" "${RTO_TARGET_S:-1800}")
cat <<EOF

== TRUST-NO-1 restore drill on Kubernetes ($(date -u +%Y-%m-%dT%H:%M:%SZ))
source               $ns/$cluster (primary $primary)
recovered into       $ns/$drill ($restored): $tables tables, $migrations migrations applied
RPO  ${rpo} s   target ${RPO_TARGET_S:-300} s   $rpo_verdict   (WAL archive lag at the start)
RTO  ${rto} s   target ${RTO_TARGET_S:-1800} s   $rto_verdict
RPO_SECONDS=$rpo RTO_SECONDS=$rto
EOF
[[ $rpo_verdict == PASS && $rto_verdict == PASS && $migrations -gt 0 ]]
