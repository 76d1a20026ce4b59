/**
 * Action verbs and the `actionid` URNs that name them on the wire
 * (`urn:onoffice-de-ns:smart:2.5:smartml:action:<verb>`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The prefix every `actionid` starts with.
 *
 * @since 0.1.0
 * @category constants
 */
export const prefix = "urn:onoffice-de-ns:smart:2.5:smartml:action:" as const

/**
 * The six verbs the API knows.
 *
 * @since 0.1.0
 * @category constants
 */
export const verbs = ["read", "create", "modify", "get", "do", "delete"] as const

/**
 * An action verb.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Verb = Schema.Literal(...verbs)

/**
 * @since 0.1.0
 * @category models
 */
export type Verb = typeof Verb.Type

const isVerb = Schema.is(Verb)

/**
 * A full `actionid` URN, e.g. `urn:onoffice-de-ns:smart:2.5:smartml:action:read`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActionId = Schema.TemplateLiteral(prefix, Verb)

/**
 * @since 0.1.0
 * @category models
 */
export type ActionId = typeof ActionId.Type

/**
 * The `actionid` URN for a verb.
 *
 * @example
 * ```ts
 * import { ActionId } from "@onoffice-effect/client"
 * ActionId.fromVerb("read") // "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromVerb = <V extends Verb>(verb: V): `${typeof prefix}${V}` => `${prefix}${verb}`

/**
 * The verb of an `actionid`, or `undefined` when the string is not an action URN.
 *
 * @since 0.1.0
 * @category getters
 */
export const verbOf = (actionid: string): Verb | undefined => {
  if (!actionid.startsWith(prefix)) return undefined
  const verb = actionid.slice(prefix.length)
  return isVerb(verb) ? verb : undefined
}

/**
 * Whether results of this verb may be cached and whether a request made only
 * of such actions may be sent again after a transport failure: `read` and `get`
 * change nothing on the server.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isReadOnly = (verb: Verb): boolean => verb === "read" || verb === "get"
