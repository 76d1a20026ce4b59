#!/usr/bin/env node
/**
 * Entry point of the `onoffice` command.
 */
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { run } from "./Cli.js"

run(process.argv).pipe(
  Effect.tap((code) => Effect.sync(() => (process.exitCode = code))),
  Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici)),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
