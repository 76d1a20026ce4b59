#!/usr/bin/env node
/**
 * Entry point of the `onoffice` command.
 */
// Modules one by one, not the package's index: a command starts in a
// fraction of the time when it does not load the HTTP server, workers and
// sockets it never uses (measured in docs/cli.md).
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { run } from "./Cli.js"
import * as Tty from "./Tty.js"

const stdout = process.stdout.isTTY === true
const stderr = process.stderr.isTTY === true
const tty = Tty.layer({
  stdout,
  stderr,
  color: Tty.colorAllowed(stdout, process.env.NO_COLOR),
  status: (line) => Effect.sync(() => void process.stderr.write(`\r\u001b[K${line}`)),
  clearStatus: Effect.sync(() => void process.stderr.write("\r\u001b[K"))
})

run(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, FetchHttpClient.layer, tty)),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // Ctrl-C interrupts the command: exit 130 as a shell expects, no stack trace
    teardown: (exit, onExit) =>
      onExit(Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  })
)
