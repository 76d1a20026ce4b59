#!/usr/bin/env bash
# A consumer project on another patch version of effect (3.22.3, while the
# workspace pins 3.22.4) installs the packed tarballs of client, simulator and
# testing from npm's registry plus those tarballs, ends up with ONE copy of
# effect, and typechecks a program that uses them together.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for p in client marketplace simulator testing; do
  (cd "packages/$p" && npx --yes pnpm@10 pack --pack-destination "$work" >/dev/null)
done
ls "$work"/*.tgz >/dev/null

# No build state or internals in the tarballs.
for t in "$work"/*.tgz; do
  if tar -tzf "$t" | grep -E '\.tsbuildinfo$' >/dev/null; then echo "consumer: $t ships a .tsbuildinfo" >&2; exit 1; fi
done

mkdir "$work/app"
cd "$work/app"
cat > package.json <<JSON
{
  "name": "consumer",
  "private": true,
  "type": "module",
  "dependencies": {
    "@onoffice-effect/client": "file:$(ls "$work"/onoffice-effect-client-*.tgz)",
    "@onoffice-effect/marketplace": "file:$(ls "$work"/onoffice-effect-marketplace-*.tgz)",
    "@onoffice-effect/simulator": "file:$(ls "$work"/onoffice-effect-simulator-*.tgz)",
    "@onoffice-effect/testing": "file:$(ls "$work"/onoffice-effect-testing-*.tgz)",
    "effect": "3.22.3",
    "@effect/platform": "0.97.2",
    "@effect/platform-node": "0.108.2",
    "@effect/cli": "0.77.2"
  },
  "devDependencies": { "typescript": "5.9.3", "@types/node": "^20.19.0" }
}
JSON
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
    "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": true, "types": ["node"], "lib": ["ES2022", "DOM"]
  },
  "include": ["main.ts"]
}
JSON
cat > main.ts <<'TS'
import { NodeHttpClient } from "@effect/platform-node"
import { BasicSettings, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Operation from "@onoffice-effect/client/Operation"
import { ProviderSecret, ReplayGuard, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import { Effect, Layer, Schema } from "effect"

const program = Effect.gen(function*() {
  const operator = yield* Operator.Operator
  const sim = yield* Simulator.Simulator
  yield* operator.clearLog()
  const colours = yield* BasicSettings.read()
  const page = yield* Estate.read({ data: ["Id"], listlimit: 2 }, { elements: Schema.Struct({ Id: Schema.NumberFromString }) })
  const direct = yield* Operation.run(Estate.Read, { data: ["Id"], listlimit: 1 }).pipe(OnOfficeClient.withRetry(false))
  const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
  const verifier = yield* SignedCall.make().pipe(
    Effect.provide(Layer.merge(ProviderSecret.layer(sim.providerSecret), ReplayGuard.layerMemory))
  )
  const activation = yield* verifier.activation(opened.url)
  return { url: sim.url, color: colours.characteristicsCi?.color, ids: page.records.map((r) => r.elements.Id), direct, activatedUser: activation.userId }
}).pipe(Effect.provide(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))))

const asScript = Estate.read({ data: ["Id"] }).pipe(
  Effect.provide(Layer.mergeAll(OnOfficeClient.layerConfig(), Principal.layerConfig)),
  Effect.provide(NodeHttpClient.layerUndici)
)

Effect.runPromise(program).then((result) => console.log(JSON.stringify(result)))
void asScript
TS
npm install --no-audit --no-fund --loglevel=error >/dev/null
# one copy of effect, the consumer's
copies=$(find node_modules -path '*/effect/package.json' -not -path '*/@effect/*' | xargs -I{} node -e 'console.log(require(require("path").resolve(process.argv[1])).version)' {} | sort -u | tr '\n' ' ')
if [ "$copies" != "3.22.3 " ]; then echo "consumer: expected one effect 3.22.3, found: $copies" >&2; exit 1; fi
npx tsc -p tsconfig.json
# and it runs: the packed simulator and client talk over real HTTP
npx tsc -p tsconfig.json --noEmit false --outDir out >/dev/null
node out/main.js
echo "consumer: typechecks and runs against effect 3.22.3 with one copy of effect"
