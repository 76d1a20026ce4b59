/**
 * What the resources kept in a per-customer book (appointments, search
 * criteria) share: the book seeded on a customer's first use (from the
 * world's seed and the customer, so every run seeds the same), and the
 * modify and delete handlers, which find the record the resource id names
 * (if the user may write it), change it all or nothing or remove it, and
 * answer the success record.
 *
 * @internal
 */
import type { Customer } from "../Model.js"
import type { World } from "../World.js"
import { ApiFailure } from "./failure.js"
import { type Context, customerOf, type Handler, one } from "./handler.js"

/** A seed for one customer's book: the world's seed (with a book's own `salt`) mixed with the customer's id (FNV-1a). */
export const customerSeed = (world: World, customer: Customer, salt = 0): number => {
  let h = (world.options.seed ^ salt) >>> 0
  for (const c of customer.customerWebId) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return h
}

/** A customer's book, seeded by `seed` the first time it is asked for. */
export const perCustomer = <B extends object>(seed: (world: World, customer: Customer) => B) => {
  const books = new WeakMap<Customer, B>()
  return (world: World, customer: Customer): B => {
    const existing = books.get(customer)
    if (existing !== undefined) return existing
    const book = seed(world, customer)
    books.set(customer, book)
    return book
  }
}

/** How a resource's records are written. */
export interface Writable<A extends { readonly id: number }> {
  /** The resource type the success record carries. */
  readonly resourcetype: string
  /** The customer's records, by id. */
  readonly records: (ctx: Context, customer: Customer) => Map<number, A>
  /** The record the action is about, if the user may write it, or the API's error. */
  readonly target: (ctx: Context, customer: Customer) => A | ApiFailure
  /** The record with the action's changes, all or nothing. */
  readonly apply: (ctx: Context, customer: Customer, current: A) => A | ApiFailure
}

/** `modify`: the target with the changes, stored. */
export const modify = <A extends { readonly id: number }>(writable: Writable<A>): Handler => (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const current = writable.target(ctx, customer)
  if (current instanceof ApiFailure) return current
  const next = writable.apply(ctx, customer, current)
  if (next instanceof ApiFailure) return next
  writable.records(ctx, customer).set(current.id, next)
  return one({ success: "success" }, writable.resourcetype)
}

/** `delete`: the target removed. */
export const remove = <A extends { readonly id: number }>(writable: Writable<A>): Handler => (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const current = writable.target(ctx, customer)
  if (current instanceof ApiFailure) return current
  writable.records(ctx, customer).delete(current.id)
  return one({ success: "success" }, writable.resourcetype)
}
