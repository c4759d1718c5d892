#!/usr/bin/env bash
# Rolls out an overlay in the order the apps need: configuration and infrastructure, then the
# migration Job (waited for), then the apps (waited for). Plain `kubectl apply -k` would start
# the apps and the migrations together.
#
#   deploy/k8s-rollout.sh k8s/overlays/prod
#
# Environment: NAMESPACE (trustno1), DB_TIMEOUT (15m), MIGRATE_TIMEOUT_S (1800), ROLLOUT_TIMEOUT (10m).
# Needs kubectl >= 1.27 with access to the cluster, the CloudNativePG operator installed and, for
# prod, the Secrets of k8s/base/secret.template.yaml created.
set -euo pipefail

overlay=${1:?usage: deploy/k8s-rollout.sh k8s/overlays/<name>}
ns=${NAMESPACE:-trustno1}
kc() { kubectl --namespace "$ns" "$@"; }
say() { printf '\n== %s\n' "$*"; }

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$overlay" >"$rendered"
if [[ -x "$(dirname "$0")/../tools/validate-k8s.mjs" ]] && command -v node >/dev/null; then
  node "$(dirname "$0")/../tools/validate-k8s.mjs" --rendered "$(basename "$overlay")" <"$rendered"
fi

# Everything that is not an app or the migration: namespace, config, policies, PostgreSQL,
# NATS, Redis, autoscalers, budgets, monitoring. (`notin` also selects objects without the label.)
say "configuration and infrastructure"
kubectl apply -f "$rendered" -l 'app.kubernetes.io/component notin (migration,gateway,service,worker)'
kc wait --for=condition=Ready cluster.postgresql.cnpg.io/trustno1-pg --timeout="${DB_TIMEOUT:-15m}"
kc rollout status statefulset/nats --timeout="${ROLLOUT_TIMEOUT:-10m}"
kc rollout status statefulset/redis --timeout="${ROLLOUT_TIMEOUT:-10m}"

say "migrations"
# A Job's pod template is immutable: each rollout runs a fresh one.
kc delete job migrate --ignore-not-found --wait=true
kubectl apply -f "$rendered" -l app.kubernetes.io/component=migration
deadline=$((SECONDS + ${MIGRATE_TIMEOUT_S:-1800}))
while :; do
  state=$(kc get job migrate -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
  case " $state " in
    *" Complete "*) break ;;
    *" Failed "*)
      kc logs job/migrate --tail=50 >&2 || true
      echo "migrations failed: the apps were not touched" >&2
      exit 1
      ;;
  esac
  ((SECONDS < deadline)) || { echo "migrations still running after ${MIGRATE_TIMEOUT_S:-1800} s" >&2; exit 1; }
  sleep 5
done
kc logs job/migrate --tail=5

say "apps"
kubectl apply -f "$rendered"
for deployment in gateway accounts world inventory combat market factions worker; do
  kc rollout status "deployment/$deployment" --timeout="${ROLLOUT_TIMEOUT:-10m}"
done
say "rolled out $overlay"
