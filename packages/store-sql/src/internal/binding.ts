/**
 * What each sealed value is bound to (AES-GCM associated data): its table,
 * its row (customer, user) and its column, so a value copied to another
 * row or column fails to open.
 *
 * @internal
 */
import type { Cipher } from "./cipher.js"

/** The associated data of a customer's token or secret. */
export const customerField = (customerWebId: string, column: "token" | "secret"): string =>
  JSON.stringify(["onoffice_customers", customerWebId, column])

/** The associated data of a customer user's claim. */
export const claimField = (customerWebId: string, userId: number): string =>
  JSON.stringify(["onoffice_claims", customerWebId, userId, "claim"])

/** The associated data of a session's parameter cache id. */
export const sessionField = (customerWebId: string, userId: number): string =>
  JSON.stringify(["onoffice_sessions", customerWebId, userId, "parameter_cache_id"])

/** The associated data of a pending activation's secret (by its key's hash). */
export const pendingField = (keyHash: string, column: "api_token" | "api_claim" | "parameter_cache_id"): string =>
  JSON.stringify(["onoffice_pending_activations", keyHash, column])

/**
 * Opens a value as stored before or after the binding: a `v1` value
 * (sealed without associated data) only here, for re-sealing it; the
 * stores themselves open bound values only.
 */
export const openAny = (encryption: Cipher, stored: string, associatedData: string) =>
  stored.startsWith("v1:") ? encryption.decrypt(stored) : encryption.decrypt(stored, associatedData)
