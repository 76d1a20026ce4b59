/**
 * How many records an estate counts as against the request's answer bound
 * (`maxAnswerRecords`): one, unless a write made it wider than
 * {@link weightUnit} characters; then one per started unit. Seeded records
 * are about 600 characters, so the bound stays one comparison per page
 * until a customer's estates are written wide, and only then is a page
 * weighed record by record.
 *
 * @internal
 */
import type { Customer, Estate } from "../Model.js"

/** A record counts once per started unit of this many characters of its fields. */
export const weightUnit = 1024

/** The estates written wider than one unit, per customer: id → weight. */
const heavy = new WeakMap<Customer, Map<number, number>>()

const widthOf = (fields: Readonly<Record<string, string>>): number => {
  let width = 0
  for (const [key, value] of Object.entries(fields)) width += key.length + value.length + 6
  return width
}

/** After a write: the estate's weight, by the widest record a read can make of it (main fields and one language). */
export const reweigh = (customer: Customer, estate: Estate): void => {
  let widestVersion = 0
  for (const version of estate.versions.values()) widestVersion = Math.max(widestVersion, widthOf(version.fields))
  const weight = Math.ceil((widthOf(estate.fields) + widestVersion) / weightUnit)
  const weights = heavy.get(customer)
  if (weight <= 1) {
    weights?.delete(estate.id)
    return
  }
  if (weights === undefined) heavy.set(customer, new Map([[estate.id, weight]]))
  else weights.set(estate.id, weight)
}

/** How many records a page of the customer's estates counts as: its length, unless some were written wide. */
export const pageWeight = <A>(customer: Customer, page: ReadonlyArray<A>, idOf: (row: A) => number): number => {
  const weights = heavy.get(customer)
  if (weights === undefined || weights.size === 0) return page.length
  let total = 0
  for (const row of page) total += weights.get(idOf(row)) ?? 1
  return total
}
