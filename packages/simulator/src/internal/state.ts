/**
 * The state both lanes of the server work on (the API lane and the
 * platform's operator app): below both, so neither imports the other.
 *
 * @internal
 */
import type * as Faults from "../Faults.js"
import type * as OperatorApi from "../OperatorApi.js"
import type { World } from "../World.js"
import type * as RequestFeed from "./requestFeed.js"

/** One request the API endpoint received. */
export type LogEntry = typeof OperatorApi.LogEntry.Type

/** The state the server works on. */
export interface State {
  readonly world: World
  readonly faults: Faults.Faults
  readonly log: Array<LogEntry>
  /** Log one line per API request (verb, resource, errorcode, ms). */
  readonly logRequests: boolean
  /** How many requests the request log keeps (the oldest go first; up to 10 % more between trims). */
  readonly logCapacity: number
  /** The largest request body accepted (bytes), on the API and the operator API alike; larger ones get HTTP 413. */
  readonly maxBodyBytes: number
  /** The most actions one API request may carry; more get HTTP 413. */
  readonly maxActions: number
  /** The shell's live request log: API requests per customer, to whoever watches (bounded per subscriber). */
  readonly feed: RequestFeed.Feed
  /** The simulator's public base URL, set once it is known (configured, or bound). */
  readonly baseUrl: { current: string | undefined }
}

/**
 * The simulator's own address for the links it hands out (photos, payment
 * pages, the API URL): the configured or bound one, never the request's
 * `Host` header, which a caller chooses.
 */
export const baseUrlOf = (state: State): string => state.baseUrl.current ?? "http://127.0.0.1"
