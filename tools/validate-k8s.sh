#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (no cluster): every overlay under k8s/overlays is
# rendered with `kubectl kustomize` (or a standalone `kustomize build`) and the result is
# checked by tools/validate-k8s.mjs; the files as written are checked first, which needs only
# node. Without kubectl or kustomize the rendering step is skipped with a message, and the
# exit status reflects the checks that did run.
#
#   tools/validate-k8s.sh            all overlays
#   tools/validate-k8s.sh prod       only the named ones
#
# `kubectl apply --dry-run=client` is not used: it needs an API server for discovery.
set -euo pipefail
cd "$(dirname "$0")/.."

overlays=("$@")
if [[ ${#overlays[@]} -eq 0 ]]; then
  for dir in k8s/overlays/*/; do overlays+=("$(basename "$dir")"); done
fi

node tools/validate-k8s.mjs

# The overlays use kustomize v5 features (labels, patches with targets); kubectl embeds v5 since
# 1.27. Debian bookworm's kubernetes-client (1.20) embeds kustomize v2 and cannot render them.
kustomize_major() { grep -o 'v[0-9][0-9]*' | head -n1 | tr -d v; }
render=""
if command -v kubectl >/dev/null 2>&1; then
  version=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p')
  if [[ -n $version && $(kustomize_major <<<"$version") -ge 5 ]]; then
    render=kubectl
    renderer="kubectl kustomize ($version)"
  fi
fi
if [[ -z $render ]] && command -v kustomize >/dev/null 2>&1; then
  version=$(kustomize version 2>/dev/null)
  if [[ $(kustomize_major <<<"$version") -ge 5 ]]; then
    render=kustomize
    renderer="kustomize build ($version)"
  fi
fi
if [[ -z $render ]]; then
  echo "validate-k8s: SKIPPED rendering of ${overlays[*]}: no kubectl >= 1.27 or kustomize >= 5 found." >&2
  echo "  Install either to render the overlays and check the result; the checks above did run." >&2
  exit 0
fi
render() { if [[ $render == kubectl ]]; then kubectl kustomize "k8s/overlays/$1"; else kustomize build "k8s/overlays/$1"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for overlay in "${overlays[@]}"; do
  [[ -f k8s/overlays/$overlay/kustomization.yaml ]] || { echo "validate-k8s: no overlay k8s/overlays/$overlay" >&2; status=1; continue; }
  if ! render "$overlay" >"$tmp/$overlay.yaml" 2>"$tmp/$overlay.err"; then
    echo "validate-k8s: $renderer failed for $overlay:" >&2
    cat "$tmp/$overlay.err" >&2
    status=1
    continue
  fi
  echo "rendered $overlay with $renderer: $(grep -c '^kind:' "$tmp/$overlay.yaml") objects"
  node tools/validate-k8s.mjs --rendered "$overlay" <"$tmp/$overlay.yaml" || status=1
done
exit "$status"
