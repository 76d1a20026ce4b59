/**
 * The shape of a JSON answer, for comparing the simulator's answers with the
 * fixtures: objects by their keys, arrays by their items, the rest by type.
 */
export const shapeOf = (u: unknown): unknown =>
  Array.isArray(u)
    ? u.map(shapeOf)
    : typeof u === "object" && u !== null
    ? Object.fromEntries(Object.entries(u).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]))
    : typeof u
