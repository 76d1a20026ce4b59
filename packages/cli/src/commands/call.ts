/**
 * `onoffice call <verb> <resourcetype>`: any action, its decoded result
 * printed as JSON.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as CliCommand from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { ActionId } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Connection from "../internal/connection.js"
import { reportClientErrors } from "../internal/failure.js"
import * as Lazy from "../internal/lazy.js"
import { printJson } from "../internal/output.js"
import * as Params from "../internal/params.js"

// the client's `ActionId.verbs`, spelled out so the command tree loads without
// the client; a record of every verb, so a verb added there fails to compile here
const verbs: { readonly [V in ActionId.Verb]: V } = { read: "read", create: "create", modify: "modify", get: "get", do: "do", delete: "delete" }

const verb = Args.choice(Object.values(verbs).map((v) => [v, v] as const), { name: "verb" }).pipe(
  Args.withDescription("read | create | modify | get | do | delete")
)
const resourcetype = Args.text({ name: "resourcetype" }).pipe(Args.withDescription("e.g. estate, address, basicsettings"))
const resourceId = Options.text("resource-id").pipe(Options.optional, Options.withDescription("The record id"))
const identifier = Options.text("identifier").pipe(Options.optional, Options.withDescription("Echoed back in the result"))

/** The `call` subcommand. */
export const command = CliCommand.make(
  "call",
  { verb, resourcetype, resourceId, identifier, ...Params.options, ...Connection.options },
  (input) =>
    Effect.gen(function*() {
      const parameters = yield* Params.read(input)
      const { OnOfficeClient } = yield* Lazy.client
      const result = yield* Connection.provide(
        input,
        OnOfficeClient.call({
          verb: input.verb,
          resourcetype: input.resourcetype,
          resourceid: Option.getOrElse(input.resourceId, () => ""),
          identifier: Option.getOrElse(input.identifier, () => ""),
          parameters
        })
      ).pipe(reportClientErrors)
      yield* printJson(result)
    })
).pipe(CliCommand.withDescription("Send one action (any verb and resource type) and print its result as JSON"))
