/**
 * How the stores report a database or decryption problem: a `StoreError`
 * naming the store and what it was doing.
 *
 * @internal
 */
import { MarketplaceError } from "@onoffice-effect/marketplace"

/** Maps a failure of `operation` on `store` to a `StoreError`. */
export const fail = (store: "customers" | "claims" | "replays" | "sessions" | "pendingActivations", operation: string) => (error: unknown) =>
  new MarketplaceError.StoreError({
    store,
    operation,
    detail: typeof error === "string" ? error : error instanceof Error ? error.message : "database error",
    ...(typeof error === "string" ? {} : { cause: error })
  })
