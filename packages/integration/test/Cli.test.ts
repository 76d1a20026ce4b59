import { layer } from "@effect/vitest"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer, type Server } from "node:http"
import { expect } from "vitest"
import { Tty } from "@onoffice-effect/cli"
import { onoffice, onofficeOn } from "./cliInProcess.js"

const live = { excludeTestServices: true } as const

layer(Simulator.layer({ port: 0 }), live)("onoffice call", (it) => {
  const envOf = (sim: Simulator.Service) => ({
    ONOFFICE_API_URL: sim.apiUrl,
    ONOFFICE_TOKEN: Redacted.value(sim.demo.token),
    ONOFFICE_SECRET: Redacted.value(sim.demo.secret)
  })

  it.effect("prints the decoded basic settings record as JSON on stdout and exits 0", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const run = yield* onoffice(envOf(sim), "call", "read", "basicsettings", "--params", "{\"data\":{\"basicData\":{\"characteristicsCi\":[\"color\",\"color2\"]}}}")
      expect(run.code).toBe(0)
      const result = JSON.parse(run.stdout)
      expect(result.resourcetype).toBe("basicsettings")
      expect(Object.keys(result.records[0].elements.basicData.characteristicsCi).sort()).toStrictEqual(["color", "color2"])
      expect(run.stderr).toBe("")
    }))

  it.effect("passes --resource-id and --identifier through", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const id = String([...sim.world.demo.customer.estates.keys()][0])
      const run = yield* onoffice(envOf(sim), "call", "read", "estate", "--resource-id", id, "--identifier", "mine", "--params", "{\"data\":[\"Id\"]}")
      expect(run.code).toBe(0)
      const result = JSON.parse(run.stdout)
      expect(result.identifier).toBe("mine")
      expect(result.records.map((r: any) => String(r.id))).toStrictEqual([id])
    }))

  it.effect("prints an API error as tag, errorcode and message on stderr and exits 2", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const run = yield* onoffice({ ...envOf(sim), ONOFFICE_SECRET: "w".repeat(64) }, "call", "read", "estate")
      expect(run.code).toBe(2)
      expect(run.stdout).toBe("")
      expect(JSON.parse(run.stderr)).toMatchObject({ error: "AuthenticationError", errorcode: 137 })
      expect(run.stderr).not.toContain("w".repeat(64))
      expect(run.stderr).not.toContain(Redacted.value(sim.demo.token))
    }))

  it.effect("exits 3 on a transport failure", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const run = yield* onoffice({ ...envOf(sim), ONOFFICE_API_URL: "http://127.0.0.1:9/api.php" }, "call", "read", "estate")
      expect(run.code).toBe(3)
      expect(JSON.parse(run.stderr).error).toBe("TransportError")
    }))

  it.effect("never prints the user:password of an API URL, in a transport error or a configuration error", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const refused = yield* onoffice(
        { ...envOf(sim), ONOFFICE_API_URL: "http://proxyuser:hunter2pass@127.0.0.1:9/api.php" },
        "call",
        "read",
        "estate"
      )
      expect(refused.code).toBe(3)
      expect(JSON.parse(refused.stderr).error).toBe("TransportError")
      expect(refused.stderr).toContain("127.0.0.1:9/api.php")
      const invalid = yield* onoffice({ ...envOf(sim), ONOFFICE_API_URL: "http//proxyuser:hunter2pass@127.0.0.1/api.php" }, "call", "read", "estate")
      expect(invalid.code).toBe(1)
      for (const run of [refused, invalid]) {
        expect(run.stderr).not.toContain("hunter2pass")
        expect(run.stderr).not.toContain("proxyuser")
      }
    }))

  it.effect("exits 3 with a typed message when the result is nested too deeply to print, never a defect", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const depth = 20_000
      const url = yield* Effect.acquireRelease(
        Effect.async<{ readonly url: string; readonly server: Server }>((resume) => {
          const server = createServer((req, res) => {
            req.resume()
            req.on("end", () => {
              res.writeHead(200, { "content-type": "application/json" })
              res.end(
                "{\"status\":{\"code\":200,\"errorcode\":0,\"message\":\"OK\"},\"response\":{\"results\":[{\"actionid\":\"urn:onoffice-de-ns:smart:2.5:smartml:action:read\"," +
                  "\"resourcetype\":\"estate\",\"data\":{\"records\":[{\"id\":1,\"elements\":{\"deep\":" + "[".repeat(depth) +
                  "]".repeat(depth) + "}}]},\"status\":{\"errorcode\":0,\"message\":\"OK\"}}]}}"
              )
            })
          })
          server.listen(0, "127.0.0.1", () => {
            const address = server.address()
            const port = typeof address === "object" && address !== null ? address.port : 0
            resume(Effect.succeed({ url: `http://127.0.0.1:${port}/api.php`, server }))
          })
        }),
        ({ server }) => Effect.sync(() => server.close())
      ).pipe(Effect.map(({ url }) => url))
      const run = yield* onoffice({ ...envOf(sim), ONOFFICE_API_URL: url }, "call", "read", "estate")
      expect(run.code).toBe(3)
      expect(JSON.parse(run.stderr).error).toBe("Unprintable")
    }).pipe(Effect.scoped))

  it.effect("exits 4 when a do-action was sent but its answer was lost", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* Effect.promise(() =>
        fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ rules: [{ kind: "lost", times: 1 }] }) })
      )
      const run = yield* onoffice(envOf(sim), "call", "do", "transactionRefund", "--params", "{\"transactionid\":1}")
      expect(run.code).toBe(4)
      expect(JSON.parse(run.stderr).error).toBe("OutcomeUnknown")
    }))

  it.effect("gives up after --timeout seconds (exit 3) and never echoes --params", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* Effect.promise(() =>
        fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ rules: [{ kind: "latency", latencyMs: 5000, times: 1 }] }) })
      )
      const slow = yield* onoffice(envOf(sim), "call", "read", "basicsettings", "--timeout", "1")
      expect(slow.code).toBe(3)
      expect(JSON.parse(slow.stderr)).toMatchObject({ error: "TransportError" })
      const leaky = yield* onoffice(envOf(sim), "call", "read", "estate", "--params", "{\"extendedclaim\": \"my-secret-claim\"")
      expect(leaky.code).toBe(1)
      expect(leaky.stderr).not.toContain("my-secret-claim")
    }))

  it.effect("exits 1 without sending when configuration or --params is bad", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      const noSecret = yield* onoffice({ ONOFFICE_API_URL: sim.apiUrl, ONOFFICE_TOKEN: "t" }, "call", "read", "estate")
      expect(noSecret.code).toBe(1)
      expect(JSON.parse(noSecret.stderr)).toStrictEqual({ error: "ConfigError", message: "ONOFFICE_SECRET is not set" })
      const badParams = yield* onoffice(envOf(sim), "call", "read", "estate", "--params", "[1,2]")
      expect(badParams.code).toBe(1)
      expect(JSON.parse(badParams.stderr).error).toBe("InvalidParameters")
      const badVerb = yield* onoffice(envOf(sim), "call", "fly", "estate")
      expect(badVerb.code).toBe(1)
      expect(sim.log.length).toBe(before)
    }))

  it.effect("shows records, pages and rate on stderr only when stderr is a terminal, and a table on a terminal stdout", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const total = sim.world.demo.customer.estates.size
      const status: Array<string> = []
      let cleared = 0
      const terminal: Tty.Service = {
        stdout: true,
        stderr: true,
        color: false,
        status: (line) => Effect.sync(() => void status.push(line)),
        clearStatus: Effect.sync(() => void cleared++)
      }
      const shown = yield* onofficeOn(terminal, envOf(sim), "estate", "stream", "--page-size", "10", "-f", "Id,ort")
      expect(shown.code).toBe(0)
      expect(status).toHaveLength(Math.ceil(total / 10))
      expect(status.at(-1)).toMatch(new RegExp(`^${total} records, ${Math.ceil(total / 10)} pages, \\d+ records/s$`))
      expect(cleared).toBeGreaterThan(0)
      const [header, ...rows] = shown.stdout.split("\n")
      expect(header!.split(/\s+/)).toStrictEqual(["ID", "ORT"])
      expect(rows).toHaveLength(total)
      // NO_COLOR (color: false) on a terminal: the help has no ANSI escapes either
      const help = yield* onofficeOn(terminal, {}, "--help")
      expect(help.stdout).not.toContain("\u001b[")
      expect(Tty.colorAllowed(true, "1")).toBe(false)
      expect(Tty.colorAllowed(true, undefined)).toBe(true)
      expect(Tty.colorAllowed(false, undefined)).toBe(false)
    }))

  it.effect("modifies an estate and an address from --params, and refuses parameters its schema does not accept", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estateId = [...sim.world.demo.customer.estates.keys()][0]!
      const modified = yield* onoffice(envOf(sim), "estate", "modify", String(estateId), "--params", "{\"data\":{\"objekttitel\":\"Renamed by the CLI\"}}")
      expect(modified.code).toBe(0)
      expect(JSON.parse(modified.stdout)).toStrictEqual({ resourcetype: "estate", id: estateId, modified: true })
      const read = yield* onoffice(envOf(sim), "estate", "read", "--resource-id", String(estateId), "-f", "objekttitel", "--output", "json")
      expect(JSON.parse(read.stdout)[0].elements.objekttitel).toBe("Renamed by the CLI")
      const addressId = [...sim.world.demo.customer.addresses.keys()][0]!
      const address = yield* onoffice(envOf(sim), "address", "modify", String(addressId), "--params", "{\"Ort\":\"Aachen\"}")
      expect(address.code).toBe(0)
      const empty = yield* onoffice(envOf(sim), "estate", "modify", String(estateId), "--params", "{\"data\":{}}")
      expect(empty.code).toBe(1)
      expect(JSON.parse(empty.stderr)).toStrictEqual({ error: "InvalidParameters", message: "data is not valid" })
    }))
})
