/**
 * Runs the `onoffice` command line in this process, as the bin would, with
 * a given environment and terminal; captures stdout and stderr.
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { Cli, Tty } from "@onoffice-effect/cli"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** As `onoffice`, with stdout and stderr being what `tty` says. */
export const onofficeOn = (tty: Tty.Service, env: Record<string, string>, ...args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const base = yield* Effect.console
    const console: Console.Console = {
      ...base,
      log: (...a) => Effect.sync(() => void stdout.push(a.join(" "))),
      error: (...a) => Effect.sync(() => void stderr.push(a.join(" "))),
      unsafe: { ...base.unsafe, log: (...a) => void stdout.push(a.join(" ")), error: (...a) => void stderr.push(a.join(" ")) }
    }
    const code = yield* Cli.run(["node", "onoffice", ...args]).pipe(
      Effect.withConsole(console),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici, Tty.layer(tty)))
    )
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") }
  })

/** Runs `onoffice …args` in this process with the given environment, stdout and stderr piped. */
export const onoffice = (env: Record<string, string>, ...args: ReadonlyArray<string>) => onofficeOn(Tty.piped, env, ...args)
