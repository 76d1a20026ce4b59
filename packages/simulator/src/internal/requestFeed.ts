/**
 * The live request log behind the shell: every API request a provider made
 * for a customer, as server-sent events to whoever watches that customer
 * (`GET /_sim/customers/:customerWebId/requests/stream`).
 *
 * The API lane publishes synchronously and never waits: each subscriber has
 * a bounded queue, and what does not fit is dropped and counted (the next
 * event that fits is preceded by a `dropped` event with the count). A slow
 * or vanished browser therefore costs at most `capacity` events of memory
 * and never slows an API request; at most `maxSubscribers` streams are open
 * at once. Nothing is built unless someone watches
 * the customer. Closing the feed (the server stopping) ends every stream.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"

/** How many events a subscriber may have waiting before new ones are dropped. */
export const defaultCapacity = 256

/** How many streams may be open at once (each holds at most `capacity` events). */
export const defaultMaxSubscribers = 32

interface Subscriber {
  readonly customerWebId: string
  readonly queue: Queue.Queue<string>
  dropped: number
}

/** One server-sent event: its name, and its data as one JSON line. */
export const sse = (event: string, data: unknown, id?: number): string =>
  `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

/** The subscribers of all customers, each with its bounded queue. */
export class Feed {
  private readonly subscribers = new Set<Subscriber>()
  private readonly watched = new Map<string, number>()
  private closed = false

  constructor(readonly capacity: number = defaultCapacity, readonly maxSubscribers: number = defaultMaxSubscribers) {}

  /** Whether anyone watches `customerWebId` (so the API lane builds no event nobody reads). */
  watches(customerWebId: string): boolean {
    return (this.watched.get(customerWebId) ?? 0) > 0
  }

  /** Hands `event` (a finished SSE text) to every subscriber of `customerWebId`, dropping where a queue is full. */
  publish(customerWebId: string, event: string): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.customerWebId !== customerWebId) continue
      if (subscriber.dropped > 0) {
        if (!Queue.unsafeOffer(subscriber.queue, sse("dropped", { dropped: subscriber.dropped }))) {
          subscriber.dropped++
          continue
        }
        subscriber.dropped = 0
      }
      if (!Queue.unsafeOffer(subscriber.queue, event)) subscriber.dropped++
    }
  }

  /** How many events wait for subscribers of `customerWebId`, in all (never more than `capacity` each). */
  waiting(customerWebId: string): Effect.Effect<number> {
    const queues = [...this.subscribers].filter((s) => s.customerWebId === customerWebId).map((s) => Queue.size(s.queue))
    return Effect.map(Effect.all(queues), (sizes) => sizes.reduce((a, b) => a + b, 0))
  }

  /**
   * The events for `customerWebId` from now on, starting with an SSE comment
   * (so a browser sees the stream open at once). The subscription ends when
   * the stream does: the client went away, or the feed was closed.
   * `undefined` when `maxSubscribers` streams are open already.
   */
  subscribe(customerWebId: string): Effect.Effect<Stream.Stream<string> | undefined> {
    if (this.closed) return Effect.succeed(Stream.make(": closed\n\n"))
    if (this.subscribers.size >= this.maxSubscribers) return Effect.succeed(undefined)
    return Effect.map(Queue.bounded<string>(this.capacity), (queue) => {
      const subscriber: Subscriber = { customerWebId, queue, dropped: 0 }
      this.subscribers.add(subscriber)
      this.watched.set(customerWebId, (this.watched.get(customerWebId) ?? 0) + 1)
      const leave = Effect.sync(() => {
        if (!this.subscribers.delete(subscriber)) return
        this.watched.set(customerWebId, (this.watched.get(customerWebId) ?? 1) - 1)
      })
      return Stream.concat(Stream.make(": connected\n\n"), Stream.fromQueue(queue)).pipe(
        Stream.ensuring(Effect.zipRight(leave, Queue.shutdown(queue)))
      )
    })
  }

  /** Ends every stream (the server stops); later subscriptions end at once. */
  close(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.closed = true
      const queues = [...this.subscribers].map((s) => s.queue)
      this.subscribers.clear()
      this.watched.clear()
      return Effect.forEach(queues, Queue.shutdown, { discard: true })
    })
  }
}
