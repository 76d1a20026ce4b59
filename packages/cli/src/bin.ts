#!/usr/bin/env node
/**
 * Entry point of the `onoffice` command.
 */
// Modules one by one, not the packages' indexes, and only what every
// command needs: the file system, paths and the terminal for the command
// line (no child processes, no workers), `fetch` for HTTP. The client is
// loaded by the commands that call the API (measured in docs/cli.md).
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
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
  clearStatus: Effect.sync(() => void process.stderr.write("\r\u001b[K")),
  write: Tty.writeTo(process.stdout)
})

// the reader went away (`onoffice estate stream | head`): end quietly with
// status 0, as the rest of a pipeline expects, instead of an EPIPE stack
// trace; any other failure of stdout ends with status 3 and says so
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") return process.exit(0)
  process.stderr.write(`${JSON.stringify({ error: "OutputFailed", message: `stdout failed: ${error.code ?? error.message}` })}\n`)
  process.exit(3)
})

run(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, FetchHttpClient.layer, tty)),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // Ctrl-C interrupts the command: exit 130 as a shell expects, no stack trace
    teardown: (exit, onExit) =>
      onExit(Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  })
)
