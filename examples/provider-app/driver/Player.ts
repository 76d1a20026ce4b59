/**
 * A customer of the provider app, played over HTTP the way onOffice's
 * marketplace shell and a browser would: onOffice's side through the
 * simulator's operator API (it signs the URLs, takes the orders), the
 * provider's pages through plain requests, forms posted as a browser posts
 * them. The demo and the end-to-end tests drive the app with it; it is not
 * part of the app (its own project, exported as
 * `@onoffice-effect/example-provider-app/Player`).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** A step that did not go as a customer would expect. */
export class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", {
  step: Schema.String,
  detail: Schema.String
}) {}

export interface Page {
  readonly status: number
  readonly html: string
  readonly url: string
  readonly headers: Headers
}

export interface Target {
  /** The simulator's base URL (onOffice). */
  readonly simulatorUrl: string
  /** The operator token, when the simulator requires one. */
  readonly operatorToken?: string | undefined
  /** The provider app's public base URL. */
  readonly appUrl: string
  /** The back-office API's bearer token. */
  readonly adminToken: string
}

const unescape = (text: string) =>
  text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))

/** The first capture of `pattern` in `html`, unescaped. */
export const find = (html: string, pattern: RegExp): string | undefined => {
  const match = pattern.exec(html)
  return match?.[1] === undefined ? undefined : unescape(match[1])
}

const request = (step: string, url: string, init: RequestInit = {}) =>
  Effect.tryPromise({
    try: async (): Promise<Page> => {
      const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(15_000), ...init })
      return { status: response.status, html: await response.text(), url: response.url, headers: response.headers }
    },
    catch: (error) => new StepFailed({ step, detail: `${url}: ${error instanceof Error ? error.message : String(error)}` })
  })

const expectStatus = (step: string, page: Page, status: number) =>
  page.status === status
    ? Effect.succeed(page)
    : Effect.fail(new StepFailed({ step, detail: `expected HTTP ${status}, got ${page.status}: ${page.html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}` }))

const form = (fields: Readonly<Record<string, string>>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString()
})

export const make = (target: Target) => {
  const operator = <A>(step: string, path: string, body: unknown) =>
    Effect.flatMap(
      request(step, `${target.simulatorUrl}/_sim${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(target.operatorToken === undefined ? {} : { authorization: `Bearer ${target.operatorToken}` })
        },
        body: JSON.stringify(body)
      }),
      (page) =>
        page.status === 200
          ? Effect.succeed(JSON.parse(page.html) as A)
          : Effect.fail(new StepFailed({ step, detail: `onOffice (simulator) answered ${page.status}: ${page.html.slice(0, 300)}` }))
    )

  const admin = <A>(step: string, path: string, method: "GET" | "POST", body?: unknown) =>
    Effect.flatMap(
      request(step, `${target.appUrl}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${target.adminToken}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      }),
      (page) => Effect.succeed({ status: page.status, body: JSON.parse(page.html === "" ? "null" : page.html) as A })
    )

  /**
   * onOffice calls the app's webhook URL for the customer's estates, with a
   * claim of `userId` (what onOffice configures for a provider's webhook
   * service; `language` stands for the URL's language macro).
   */
  const connectWebhooks = (input: { readonly customerWebId: string; readonly userId: number; readonly language?: string }) =>
    operator<unknown>("configure the webhook service", "/webhooks", {
      customerWebId: input.customerWebId,
      url: `${target.appUrl}/webhook${input.language === undefined ? "" : `?language=${encodeURIComponent(input.language)}`}`,
      modules: ["estate"],
      userId: input.userId
    })

  /**
   * onOffice opens the activation page; the customer types the API key
   * onOffice showed them. Activated, the customer's estate changes call the
   * app's webhook URL (as the user who activated).
   */
  const activate = (customerWebId?: string) =>
    Effect.gen(function*() {
      const opened = yield* operator<{ url: string; apiSecret: string; customerWebId: string; userId: string }>("open the activation page", "/activation", {
        providerUrl: `${target.appUrl}/activate`,
        ...(customerWebId === undefined ? {} : { customerWebId })
      })
      const formPage = yield* request("open the activation page", opened.url).pipe(Effect.flatMap((p) => expectStatus("open the activation page", p, 200)))
      const pending = find(formPage.html, /name="pending" value="([^"]+)"/)
      if (pending === undefined) return yield* new StepFailed({ step: "open the activation page", detail: "no API key form" })
      const done = yield* request("type the API key", `${target.appUrl}/activate`, form({ pending, apiKey: opened.apiSecret })).pipe(
        Effect.flatMap((p) => expectStatus("type the API key", p, 200))
      )
      if (!done.html.includes(`parent.postMessage("active"`)) {
        return yield* new StepFailed({ step: "type the API key", detail: "the page does not post active to onOffice" })
      }
      yield* connectWebhooks({ customerWebId: opened.customerWebId, userId: Number(opened.userId) })
      return { activationUrl: opened.url, page: done }
    })

  /** A customer user opens the service (optionally from an estate, in a language). */
  const openService = (input: { readonly estateId?: number; readonly language?: string; readonly userId?: number; readonly customerWebId?: string } = {}) =>
    Effect.gen(function*() {
      const opened = yield* operator<{ url: string }>("open the service", "/service-call", { providerUrl: `${target.appUrl}/service`, ...input })
      const page = yield* request("open the service", opened.url).pipe(Effect.flatMap((p) => expectStatus("open the service", p, 200)))
      return { serviceUrl: opened.url, ...read(page) }
    })

  /** What a service page shows. */
  const read = (page: Page) => ({
    page,
    session: find(page.html, /name="session" value="([^"]+)"/) ?? "",
    title: find(page.html, /<h2 id="title">([^<]*)<\/h2>/),
    description: find(page.html, /<p id="description">([^<]*)<\/p>/),
    notice: find(page.html, /<div class="card" role="status">([^<]*)<\/div>/),
    // the signed orders the page posts to onOffice
    orders: [...page.html.matchAll(/parent\.postMessage\(("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(JSON.parse(m[1]!)) as Record<string, unknown>),
    subscriptions: [...page.html.matchAll(/name="aboId" value="([^"]+)"/g)].map((m) => unescape(m[1]!))
  })

  /** The user reloads the service page: its session token is posted, never put in a URL. */
  const view = (session: string) =>
    Effect.map(request("reload the service page", `${target.appUrl}/service/view`, form({ session })), read)

  /** The user edits the estate's description on the service page. */
  const editDescription = (session: string, text: string) =>
    request("save the description", `${target.appUrl}/service/estate`, form({ session, objektbeschreibung: text })).pipe(
      Effect.flatMap((p) => expectStatus("save the description", p, 200)),
      Effect.map(read)
    )

  /** The user clicks an order button: onOffice takes the signed order and redirects to the provider's callback. */
  const buy = (order: Record<string, unknown>) =>
    Effect.gen(function*() {
      const placed = yield* operator<{ transactionid: number; aboid?: string; callbackUrl: string }>("buy", "/orders", { order })
      const page = yield* request("the payment callback", placed.callbackUrl).pipe(Effect.flatMap((p) => expectStatus("the payment callback", p, 200)))
      return { ...placed, status: find(page.html, /data-status="([^"]+)"/), page }
    })

  const cancel = (session: string, aboId: string) =>
    request("cancel the subscription", `${target.appUrl}/service/cancel`, form({ session, aboId })).pipe(
      Effect.flatMap((p) => expectStatus("cancel the subscription", p, 200)),
      Effect.map(read)
    )

  type RefundAnswer = Effect.Effect.Success<ReturnType<typeof refund>>
  const refund = (transactionId: number | string) =>
    admin<{ refunded?: boolean; inProgress?: true; refundableAt?: number; tag?: string; error?: string }>(
      "refund",
      `/transactions/${transactionId}/refund`,
      "POST"
    )
  const inProgress = (body: RefundAnswer["body"]) =>
    body !== null && typeof body === "object" && Object.keys(body).length === 2 && body.refunded === false && body.inProgress === true

  /**
   * Asks for the refund (after `first`, an answer already had) again while the answer is 202, in progress (the same
   * execution goes on), every 50 ms for at most `withinMs`: the last answer, and how many were in progress. A 202
   * other than `{ refunded: false, inProgress: true }`, or no outcome within `withinMs`, fails the step.
   */
  const refundOutcome = (transactionId: number | string, options: { readonly withinMs: number; readonly step?: string; readonly first?: RefundAnswer }) =>
    Effect.gen(function*() {
      const step = options.step ?? "refund"
      const started = Date.now()
      let answer = options.first ?? (yield* refund(transactionId))
      let asks = 0
      while (answer.status === 202) {
        if (!inProgress(answer.body)) return yield* new StepFailed({ step, detail: `202 with ${JSON.stringify(answer.body)}` })
        asks++
        if (Date.now() - started > options.withinMs) return yield* new StepFailed({ step, detail: `in progress after ${options.withinMs} ms` })
        yield* Effect.sleep("50 millis")
        answer = yield* refund(transactionId)
      }
      return { ...answer, inProgress: asks }
    })

  return {
    activate,
    connectWebhooks,
    openService,
    view,
    editDescription,
    buy,
    cancel,
    get: (step: string, url: string) => request(step, url),
    /** Posts a form to one of the app's pages as a browser would (no status expected). */
    post: (step: string, path: string, fields: Readonly<Record<string, string>>) => request(step, `${target.appUrl}${path}`, form(fields)),
    invoiceRecipient: (transactionId: number | string) =>
      admin<Record<string, string>>("read the invoice recipient", `/transactions/${transactionId}/invoice-recipient`, "GET"),
    paymentLink: (transactionId: number | string, priceNet: string, description: string) =>
      admin<{ url: string }>("create a payment link", `/transactions/${transactionId}/payment-link`, "POST", { priceNet, description }),
    /** The invoice records the purchase follow-ups wrote. */
    invoices: () =>
      admin<{ invoices: ReadonlyArray<{ transactionId: string; orderId: string; recipient: string }> }>("list the invoices", "/invoices", "GET"),
    refund,
    refundOutcome,
    advanceClock: (seconds: number) => operator<{ now: number }>("advance onOffice's clock", "/clock", { advanceSeconds: seconds })
  }
}

export type Player = ReturnType<typeof make>
