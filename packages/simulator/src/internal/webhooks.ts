/**
 * Webhook delivery: per world, the targets, the switches, a bounded queue
 * and the log of deliveries. Firing only signs and queues (the API lane
 * never waits); a few workers call the providers with a timeout.
 *
 * @internal
 */
import type { Delivery, Module, Switches, Target } from "../Background.js"
import type { ApiUser, Customer } from "../Model.js"
import * as Signatures from "../Signatures.js"
import type { World } from "../World.js"

const maxPending = 1000
const maxLogged = 1000
const workers = 4
const timeoutMs = 5000

interface Call {
  readonly customerWebId: string
  readonly module: Module
  readonly recordId: number
  readonly url: string
}

class Webhooks {
  readonly targets = new Map<string, Target>()
  switches: Switches = { repeat: 0, burst: 0, delayMs: 0 }
  readonly deliveries: Array<Delivery> = []
  private readonly queue: Array<Call> = []
  private running = 0
  private seq = 0

  constructor(private readonly world: World) {}

  get pending(): number {
    return this.queue.length + this.running
  }

  /** Signs and queues the calls of one event; says how many were queued. */
  fire(customer: Customer, module: Module, recordId: number): number {
    const target = this.targets.get(customer.customerWebId)
    if (target === undefined || (target.modules !== undefined && !target.modules.includes(module))) return 0
    const first = this.sign(target, customer, module, recordId)
    if (first === undefined) return 0
    const calls = [first, ...Array.from({ length: this.switches.repeat }, () => first)]
    for (let attempt = 2; attempt <= this.switches.burst + 1; attempt++) calls.push(resign(first, attempt, this.world.providerSecret))
    const queue = () => {
      for (const url of calls) this.enqueue({ customerWebId: customer.customerWebId, module, recordId, url })
    }
    if (this.switches.delayMs > 0) setTimeout(queue, this.switches.delayMs).unref()
    else queue()
    return calls.length
  }

  /** The webhook URL as onOffice would sign it: a service URL's parameters, the module and the record id. */
  private sign(target: Target, customer: Customer, module: Module, recordId: number): string | undefined {
    const extra = { module, recordId: String(recordId) }
    if (target.userId === undefined) {
      return Signatures.signUrl(target.url, {
        ...extra,
        customerWebId: customer.customerWebId,
        customerName: customer.name,
        timestamp: String(this.world.wallClock())
      }, this.world.providerSecret)
    }
    const apiUser: ApiUser | undefined = this.world.marketplace.activeMarketplaceUser(customer.customerWebId)
    if (apiUser === undefined || !customer.users.has(target.userId)) return undefined
    return this.world.marketplace.openService({ providerUrl: target.url, extra }, customer, target.userId, apiUser).url
  }

  private enqueue(call: Call): void {
    if (this.queue.length >= maxPending) {
      this.log(call, null, "queue full: delivery dropped")
      return
    }
    this.queue.push(call)
    this.pump()
  }

  private pump(): void {
    while (this.running < workers && this.queue.length > 0) {
      const call = this.queue.shift()!
      this.running++
      void deliver(call.url).then(
        (status) => this.log(call, status),
        (error: unknown) => this.log(call, null, describe(error))
      ).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private log(call: Call, status: number | null, error?: string): void {
    const url = new URL(call.url)
    this.deliveries.push({
      seq: ++this.seq,
      customerWebId: call.customerWebId,
      module: call.module,
      recordId: call.recordId,
      target: `${url.origin}${url.pathname}`,
      status,
      ...(error === undefined ? {} : { error })
    })
    if (this.deliveries.length > maxLogged) this.deliveries.splice(0, this.deliveries.length - maxLogged)
    if (error !== undefined) console.warn(`simulator: webhook to ${url.origin}${url.pathname} failed: ${error}`)
  }
}

const resign = (url: string, attempt: number, secret: string): string => {
  const parsed = new URL(url)
  const params: Record<string, string> = {}
  parsed.searchParams.forEach((value, key) => {
    if (key !== "signature") params[key] = value
  })
  return Signatures.signUrl(`${parsed.origin}${parsed.pathname}`, { ...params, deliveryAttempt: String(attempt) }, secret)
}

const deliver = async (url: string): Promise<number> => {
  const response = await fetch(url, { method: "GET", signal: AbortSignal.timeout(timeoutMs), redirect: "manual" })
  await response.body?.cancel()
  return response.status
}

/** Why a call failed, never its URL (the query carries the claim). */
const describe = (error: unknown): string =>
  error instanceof Error ? (error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : error.name) : "failed"

const all = new WeakMap<World, Webhooks>()

/** The webhook state of a world. */
export const of = (world: World): Webhooks => {
  let webhooks = all.get(world)
  if (webhooks === undefined) {
    webhooks = new Webhooks(world)
    all.set(world, webhooks)
  }
  return webhooks
}

const writes: Readonly<Record<string, Module>> = { estate: "estate", address: "address", task: "task", calendar: "calendar" }

/**
 * After an API action: a create or modify of a module's record by a
 * non-marketplace API user fires its webhooks.
 */
export const afterAction = (
  world: World,
  apiUser: ApiUser,
  action: { readonly resourcetype: string; readonly verb: string | undefined; readonly resourceid: unknown },
  outcome: { readonly records: ReadonlyArray<{ readonly id: number | string }> }
): void => {
  const module = Object.hasOwn(writes, action.resourcetype) ? writes[action.resourcetype] : undefined
  if (module === undefined || apiUser.kind === "marketplace" || (action.verb !== "create" && action.verb !== "modify")) return
  const customer = world.customers.get(apiUser.customerWebId)
  const id = Number(action.verb === "create" ? outcome.records[0]?.id : action.resourceid)
  if (customer !== undefined && Number.isInteger(id) && id > 0) of(world).fire(customer, module, id)
}
