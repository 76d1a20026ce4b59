#!/usr/bin/env bash
# What a pnpm user on Effect 4 is told (docs/dependencies.md, "Effect 4"):
# a scratch project with effect from the Effect 4 line (from the registry)
# and the packed client. The install must name the mismatch (unmet peer
# effect@^3.22.0, found 4.x), and with strict-peer-dependencies it must
# refuse to install. Needs the packages built and the npm registry.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pnpm_() { ${PNPM:-npx --yes pnpm@10} "$@"; }
effect4=${EFFECT4_VERSION:-4.1.0}

(cd "$here/packages/client" && pnpm_ pack --pack-destination "$scratch" >/dev/null)
tarball=$(ls "$scratch"/onoffice-effect-client-*.tgz)
mkdir "$scratch/app"
cat >"$scratch/app/package.json" <<EOF
{ "name": "effect4-user", "private": true, "type": "module",
  "dependencies": { "effect": "$effect4", "@onoffice-effect/client": "file:$tarball" } }
EOF
cd "$scratch/app"

out=$(pnpm_ install --config.strict-peer-dependencies=false --config.auto-install-peers=true 2>&1) || { echo "$out" >&2; exit 1; }
if ! grep -q "unmet peer effect@\"\?^3.22.0\"\?: found $effect4" <<<"$out"; then
  echo "the install on effect $effect4 does not name the unmet effect peer:" >&2
  echo "$out" >&2
  exit 1
fi
echo "pnpm install on effect $effect4 says: $(grep -m1 "unmet peer effect@\"\?^3.22.0" <<<"$out" | sed 's/^[ │├└─┬✕]*//')"

rm -rf node_modules pnpm-lock.yaml
status=0
strict=$(pnpm_ install --config.strict-peer-dependencies=true 2>&1) || status=$?
if [ "$status" -eq 0 ] || ! grep -q "unmet peer effect@" <<<"$strict"; then
  echo "with strict-peer-dependencies the install on effect $effect4 must fail naming effect:" >&2
  echo "$strict" >&2
  exit 1
fi
echo "with strict-peer-dependencies=true it refuses (exit $status)"
