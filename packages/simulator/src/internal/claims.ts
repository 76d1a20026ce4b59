/**
 * The marketplace's claims (docs/protocol.md §5): issued for an activation
 * or a service call, each customer user's newest service claim remembered,
 * and the rules a marketplace API user's call is checked by.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Activation, Claim, ClaimStanding } from "../Marketplace.js"
import type { ApiUser } from "../Model.js"
import { type ApiFailure, fail } from "./failure.js"
import type * as Random from "./random.js"

const userKey = (claim: Claim) => `${claim.customerWebId}/${claim.userId}`

/** Every claim issued, by value, on the business clock `now`. */
export class Claims {
  readonly byValue = new Map<string, Claim>()
  /** The newest service claim of each customer user (`customerWebId/userId`). */
  private readonly latestService = new Map<string, string>()

  constructor(
    private readonly random: Random.Random,
    private readonly ttlSeconds: number,
    private readonly now: () => number
  ) {}

  /** A new claim, valid for the TTL from now; a service claim becomes its user's newest. */
  issue(input: Omit<Claim, "value" | "issuedAt" | "expiresAt">): Claim {
    const issuedAt = this.now()
    const claim: Claim = {
      ...input,
      // base64-like, with the characters (+ / _ - =) real claims carry
      value: `${this.random.string(158, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")}==`,
      issuedAt,
      expiresAt: issuedAt + this.ttlSeconds
    }
    this.byValue.set(claim.value, claim)
    if (claim.kind === "service") this.latestService.set(userKey(claim), claim.value)
    return claim
  }

  /**
   * The claim a marketplace API user's call acts under, or the API's error:
   * activation claims only for `unlockProvider` while the activation is
   * pending, service claims for everything else until they expire (with
   * `strict`, only a user's newest).
   */
  check(
    input: {
      readonly apiUser: ApiUser
      readonly resourcetype: string
      readonly value: unknown
      readonly required: boolean
      readonly strict: boolean
    },
    activation: (id: string) => Activation | undefined
  ): { readonly claim: Claim | undefined } | ApiFailure {
    const { apiUser, required, resourcetype, value } = input
    if (value === undefined && !required) return { claim: undefined }
    if (typeof value !== "string" || value === "") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    const claim = this.byValue.get(value)
    if (claim === undefined) return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    if (claim.customerWebId !== apiUser.customerWebId || claim.token !== apiUser.token) {
      return fail(ErrorCodes.Code.NoMatchingClaim)
    }
    const isUnlock = resourcetype === "unlockProvider"
    if (claim.kind === "activation") {
      const pending = claim.activationId === undefined ? undefined : activation(claim.activationId)
      if (!isUnlock || pending?.state !== "pending") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    } else if (isUnlock) {
      return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    }
    if (this.now() > claim.expiresAt) return fail(ErrorCodes.Code.ClaimOutdated)
    const superseded = claim.kind === "service" && this.latestService.get(userKey(claim)) !== claim.value
    if (input.strict && superseded) return fail(ErrorCodes.Code.ClaimOutdated)
    return { claim }
  }

  /** How a claim stands now, for the request log. */
  standing(value: string): ClaimStanding {
    const claim = this.byValue.get(value)
    if (claim === undefined) return "unknown"
    if (claim.kind === "activation") return "activation"
    if (this.now() > claim.expiresAt) return "expired"
    return this.latestService.get(userKey(claim)) === value ? "latest" : "superseded"
  }
}
