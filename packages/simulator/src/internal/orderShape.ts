/**
 * The shape checks of an order a provider page posts, before its signature
 * is checked: how deeply it nests, fields the signature cannot cover, and the
 * copy of its own fields that every later check and the order's effect read.
 *
 * @internal
 */

/** How deeply a value nests objects and arrays, without recursion. */
export const depthOf = (value: unknown): number => {
  let deepest = 0
  const stack: Array<readonly [unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (current === null || typeof current !== "object") continue
    if (depth + 1 > deepest) deepest = depth + 1
    if (deepest > 64) return deepest
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return deepest
}

/**
 * The path of a field that adds nothing to the signed query (`null`, `{}`,
 * `[]`): `http_build_query` leaves it out, so it could be added after signing
 * (`abo: {}` turning an order into a subscription).
 */
export const hollowField = (value: Readonly<Record<string, unknown>>): string | undefined => {
  const stack: Array<readonly [unknown, string]> = Object.entries(value).map(([k, v]) => [v, k] as const)
  while (stack.length > 0) {
    const [current, path] = stack.pop()!
    if (current === null) return path
    if (typeof current !== "object") continue
    const entries = Object.entries(current)
    if (entries.length === 0) return path
    for (const [k, v] of entries) stack.push([v, `${path}[${k}]`])
  }
  return undefined
}

const copy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(copy)
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = Object.create(null)
  for (const [key, child] of Object.entries(value)) out[key] = copy(child)
  return out
}

/**
 * The order's own fields, copied into objects without a prototype: what the
 * signature covers is exactly what the order's effect can read. A posted
 * `"__proto__": {"abo": …}` stays a field named `__proto__` (unsigned, so
 * refused) rather than becoming a prototype that `order.abo` reads through;
 * `constructor` or `toString` read nothing from `Object.prototype`. Recursive:
 * call it on values `depthOf` has bounded.
 */
export const ownFields = (order: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  const out: Record<string, unknown> = Object.create(null)
  for (const [key, child] of Object.entries(order)) out[key] = copy(child)
  return out
}
