/**
 * The batcher, on its own (over a recording runner instead of HTTP): what is
 * submitted together goes out grouped, and every caller is completed.
 */
import { it } from "@effect/vitest"
import { OnOfficeClient, type OnOfficeClient as Client } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { describe, expect } from "vitest"
import * as Batcher from "../../src/internal/batcher.js"
import type { Run } from "../../src/internal/execute.js"
import { principal } from "../fake.js"

const resultOf = (action: Client.ActionRequest, index: number): Client.ActionResult => ({
  index,
  actionid: action.verb,
  resourcetype: action.resourcetype,
  resourceid: "",
  identifier: action.identifier ?? "",
  cacheable: true,
  cntabsolute: null,
  records: []
})

const recording = () => {
  const requests: Array<ReadonlyArray<string>> = []
  const run: Run = (_principal, actions) =>
    Effect.sync(() => {
      requests.push(actions.map((a) => `${a.verb} ${a.identifier ?? ""}`))
      return actions.map((action, i) => Either.right(resultOf(action, i)))
    })
  const single = (p: Parameters<Run>[0], action: Client.ActionRequest) =>
    Effect.flatMap(run(p, [action]), ([outcome]) => Either.match(outcome!, { onLeft: Effect.fail, onRight: Effect.succeed }))
  return { requests, run, single }
}

const as = principal()
const read = (identifier: string): Client.ActionRequest => ({ verb: "read", resourcetype: "estate", identifier })

describe("internal batcher", () => {
  it.scoped("sends identical reads once, do-actions apart, and completes every caller with its own result", () =>
    Effect.gen(function*() {
      const { requests, run, single } = recording()
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, {})
      const actions = [read("a"), read("a"), read("b"), { verb: "create" as const, resourcetype: "estate", identifier: "c" }]
      const results = yield* Effect.forEach(actions, (action) => call(as, action), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read b"], ["create c"]])
      expect(results.map((r) => r.identifier)).toStrictEqual(["a", "a", "b", "c"])
    }))

  it.scoped("sends reads that differ only in the order of their parameters' keys once", () =>
    Effect.gen(function*() {
      const { requests, run, single } = recording()
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, {})
      const inOrder = { ...read("a"), parameters: { data: ["Id"], listlimit: 5 } }
      const reordered = { ...read("a"), parameters: { listlimit: 5, data: ["Id"] } }
      const other = { ...read("a"), parameters: { data: ["Id"], listlimit: 6 } }
      yield* Effect.forEach([inOrder, reordered, other], (action) => call(as, action), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read a"]])
    }))

  it.scoped("splits what was submitted together at maxActions", () =>
    Effect.gen(function*() {
      const { requests, run, single } = recording()
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, { maxActions: 2 })
      yield* Effect.forEach(["a", "b", "c"], (id) => call(as, read(id)), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read b"], ["read c"]])
    }))

  it.scoped("sends a lone call as a request of one", () =>
    Effect.gen(function*() {
      const { requests, run, single } = recording()
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, {})
      yield* call(as, read("a"))
      yield* call(as, read("b"))
      expect(requests).toStrictEqual([["read a"], ["read b"]])
    }))
})
