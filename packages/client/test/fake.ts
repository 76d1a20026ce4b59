/**
 * An in-memory onOffice endpoint for shapes the simulator cannot produce:
 * every request is recorded, every answer is scripted.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { ApiVersion, ClaimProvider, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import { createHmac } from "node:crypto"

export interface SentAction {
  readonly actionid: string
  readonly resourceid: unknown
  readonly resourcetype: string
  readonly identifier: string
  readonly timestamp: number
  readonly hmac: string
  readonly hmac_version: number
  readonly parameters: Record<string, unknown>
}

export interface SentRequest {
  readonly token: string
  readonly request: { readonly actions: ReadonlyArray<SentAction> }
  readonly contentType: string | undefined
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

export interface Answer {
  readonly status?: number
  readonly body: string
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
}

export const token = "a".repeat(16) + "b".repeat(16)
export const secret = "s3cr3t-".repeat(9) + "x"
export const user = Credentials.make({ token, secret })
export const url = "http://onoffice.test/api/stable/api.php"

/** Independent HMAC v2 (node:crypto), so a shared mistake with the client cannot pass. */
export const expectedHmac = (action: SentAction, tok = token, sec = secret) =>
  createHmac("sha256", sec).update(`${action.timestamp}${tok}${action.resourcetype}${action.actionid}`).digest("base64")

export const makeFake = (answer: (request: SentRequest, n: number) => Answer | "reset" | "refused") => {
  const requests: Array<SentRequest> = []
  const http = HttpClient.make((request, requestUrl) =>
    Effect.suspend(() => {
      const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
      const sent: SentRequest = {
        ...(JSON.parse(body) as Omit<SentRequest, "contentType" | "url" | "headers">),
        contentType: request.body._tag === "Uint8Array" ? request.body.contentType : undefined,
        url: requestUrl.toString(),
        headers: request.headers
      }
      requests.push(sent)
      const a = answer(sent, requests.length)
      if (a === "reset" || a === "refused") {
        const cause = a === "reset"
          ? Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
          : Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
      }
      return Effect.succeed(
        HttpClientResponse.fromWeb(
          request,
          new Response(a.body, {
            status: a.status ?? 200,
            headers: { "content-type": a.contentType ?? "application/json", ...a.headers }
          })
        )
      )
    })
  )
  return { requests, http }
}

/** The principal the fake's tests call as, with an optional fixed claim. */
/** A successful result of `action` at `index` without records, as a batcher's `run` gives it back. */
export const actionResultOf = (action: OnOfficeClient.ActionRequest, index: number): OnOfficeClient.ActionResult => ({
  index,
  actionid: action.verb,
  resourcetype: action.resourcetype,
  resourceid: "",
  identifier: action.identifier ?? "",
  cacheable: true,
  cntabsolute: null,
  records: []
})

export const principal = (claim?: string) =>
  Principal.make(user, claim === undefined ? ClaimProvider.none : ClaimProvider.fixed(ClaimProvider.serviceClaim(claim)), "test user")

/** The client over the fake transport (no principal: each test provides one). */
export const clientOnly = (http: HttpClient.HttpClient, options: OnOfficeClient.Options = {}) =>
  OnOfficeClient.layer(options).pipe(
    Layer.provide(Layer.mergeAll(Layer.succeed(HttpClient.HttpClient, http), ApiVersion.layerUrl(url)))
  )

/** The client over the fake transport, called as {@link principal}. */
export const clientLayer = (
  http: HttpClient.HttpClient,
  options: OnOfficeClient.Options & { readonly claim?: string } = {}
) => Layer.merge(clientOnly(http, options), Principal.layer(principal(options.claim)))

/** A result object as the API sends it. */
export const result = (
  action: SentAction,
  options: {
    readonly records?: ReadonlyArray<unknown>
    readonly cntabsolute?: number | null
    readonly errorcode?: number
    readonly message?: string
  } = {}
) => {
  const failed = (options.errorcode ?? 0) !== 0
  return {
    actionid: action.actionid,
    resourceid: action.resourceid ?? "",
    resourcetype: action.resourcetype,
    cacheable: !failed && /:(read|get)$/.test(action.actionid),
    identifier: action.identifier,
    data: failed ? [] : { meta: { cntabsolute: options.cntabsolute ?? null }, records: options.records ?? [] },
    status: { errorcode: options.errorcode ?? 0, message: options.message ?? (failed ? "Error" : "OK") }
  }
}

export const envelope = (results: ReadonlyArray<unknown>, status = { code: 200, errorcode: 0, message: "OK" }) =>
  JSON.stringify({ status, response: { results } })

/**
 * Moves the `TestClock` once some fiber is sleeping on it. Forking a call and
 * adjusting the clock at once races the call's own (real, asynchronous)
 * signing: an adjustment made before the fiber sleeps is lost and the test
 * hangs. Waiting for the sleep to be registered removes the race.
 */
export const adjustWhenSleeping = (duration: Duration.DurationInput) =>
  Effect.gen(function*() {
    while (Chunk.isEmpty(yield* TestClock.sleeps())) {
      yield* Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 1)))
    }
    yield* TestClock.adjust(duration)
  })

/** The current tracer, also keeping every span it starts: for tests that read span attributes. */
export const recordingTracer = Effect.map(Effect.tracer, (base) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = base.span(...args)
      spans.push(span)
      return span
    },
    context: base.context
  })
  return { spans, tracer }
})
