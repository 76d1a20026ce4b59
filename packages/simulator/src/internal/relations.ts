/**
 * Relations between a customer's estates and addresses (`idsfromrelation`,
 * `relation`): the seeded links (every estate an owner, some contact persons
 * and interested parties, a few estate units) and the handlers that read,
 * create and delete them under the customer user's rights.
 *
 * Decisions where the documentation is silent (docs/simulator.md):
 * unreadable records are left out of a `get` on both sides; creating needs
 * the write right on the estates (262) and a readable address (292) or
 * estate (293); an existing relation created again is left as it is;
 * deleting a relation that does not exist is 168; reading
 * `contactPersonAll` includes the `contactPerson` links.
 *
 * @internal
 */
import { ErrorCodes, Relation } from "@onoffice-effect/client"
import type { AddressRecord, Customer, Estate } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, one, scopeOf } from "./handler.js"
import * as Random from "./random.js"
import * as Schema from "effect/Schema"

/** Relations of one customer: type URN → parent id → child ids. */
export type Relations = Map<string, Map<number, Set<number>>>

const link = (relations: Relations, type: string, parent: number, child: number) => {
  let byParent = relations.get(type)
  if (byParent === undefined) relations.set(type, byParent = new Map())
  let children = byParent.get(parent)
  if (children === undefined) byParent.set(parent, children = new Set())
  children.add(child)
}

const seedOf = (estates: ReadonlyMap<number, Estate>, addresses: ReadonlyMap<number, AddressRecord>) => {
  // From the seeded records, not the world's generator: the data seeded
  // before relations existed stays what it was.
  let h = 2166136261
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  }
  for (const estate of estates.values()) mix(`${estate.id}:${estate.fields.kaufpreis ?? ""}:${estate.fields.benutzer ?? ""}`)
  for (const address of addresses.values()) mix(`${address.id}:${address.fields.Name ?? ""}`)
  return h >>> 0
}

/**
 * The seeded relations: each estate one owner; every second estate a contact
 * person; up to three interested parties each; bought or rented estates a
 * buyer or tenant; every tenth estate units (the next two estates).
 */
export const seed = (estates: ReadonlyMap<number, Estate>, addresses: ReadonlyMap<number, AddressRecord>): Relations => {
  const relations: Relations = new Map()
  const addressIds = [...addresses.keys()]
  const estateIds = [...estates.keys()]
  if (addressIds.length === 0) return relations
  const r = Random.make(seedOf(estates, addresses))
  estateIds.forEach((id, i) => {
    const estate = estates.get(id)!
    const owner = r.pick(addressIds)
    link(relations, Relation.Types.owner, id, owner)
    if (i % 2 === 0) link(relations, Relation.Types.contactPerson, id, r.pick(addressIds))
    for (let n = r.int(0, 3); n > 0; n--) {
      const party = r.pick(addressIds)
      if (party !== owner) link(relations, Relation.Types.interested, id, party)
    }
    if (estate.fields.verkauft === "1") {
      const type = estate.fields.vermarktungsart === "miete" ? Relation.Types.tenant : Relation.Types.buyer
      link(relations, type, id, r.pick(addressIds))
    }
    if (i % 10 === 0) {
      for (const unit of estateIds.slice(i + 1, i + 3)) link(relations, Relation.Types.estateUnit, id, unit)
    }
  })
  return relations
}

const childrenOf = (customer: Customer, type: string, parent: number): ReadonlyArray<number> => {
  const direct = [...(customer.relations.get(type)?.get(parent) ?? [])]
  if (type !== Relation.Types.contactPersonAll) return direct
  const brokers = customer.relations.get(Relation.Types.contactPerson)?.get(parent) ?? []
  return [...new Set([...direct, ...brokers])]
}

const parentsOf = (customer: Customer, type: string, child: number): ReadonlyArray<number> => {
  const parents = new Set<number>()
  const types = type === Relation.Types.contactPersonAll ? [type, Relation.Types.contactPerson] : [type]
  for (const t of types) {
    for (const [parent, children] of customer.relations.get(t) ?? []) if (children.has(child)) parents.add(parent)
  }
  return [...parents]
}

type Side = "estate" | "address"

/** Whether the customer user may see (read) or change (write) the record; false for an unknown record. */
const may = (ctx: Context, customer: Customer, side: Side, id: number, right: "read" | "write") => {
  const record = side === "estate" ? customer.estates.get(id) : customer.addresses.get(id)
  if (record === undefined) return false
  const scope = scopeOf(ctx.user, side === "estate" ? "estates" : "addresses", right)
  return allows(scope, record.fields.benutzer, ctx.user)
}

const isRelationType = Schema.is(Relation.RelationType)

const relationType = (u: unknown): Relation.RelationType | ApiFailure =>
  isRelationType(u) ? u : fail(ErrorCodes.Code.UnknownRelation)

/** A list of record ids: 74 when it is no array, 255 for an element that is no integer. */
const idList = (u: unknown, name: string): ReadonlyArray<number> | ApiFailure => {
  if (!Array.isArray(u)) return fail(ErrorCodes.Code.ExpectedArray)
  const ids: Array<number> = []
  for (const item of u) {
    const id = asInt(item)
    if (id === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, name)
    ids.push(id)
  }
  return ids
}

export const getIds: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const type = relationType(ctx.parameters.relationtype)
  if (type instanceof ApiFailure) return type
  const { parentids, childids } = ctx.parameters
  if (parentids !== undefined && childids !== undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "childids")
  if (parentids === undefined && childids === undefined) return fail(ErrorCodes.Code.MissingParameter, "parentids")
  const byParent = parentids !== undefined
  const ids = idList(byParent ? parentids : childids, byParent ? "parentids" : "childids")
  if (ids instanceof ApiFailure) return ids
  const sides = Relation.sidesOf(type)
  const [asked, other]: readonly [Side, Side] = byParent ? [sides.parent, sides.child] : [sides.child, sides.parent]
  const elements: Record<string, ReadonlyArray<string>> = {}
  for (const id of ids) {
    if (!may(ctx, customer, asked, id, "read")) continue
    const related = byParent ? childrenOf(customer, type, id) : parentsOf(customer, type, id)
    elements[String(id)] = related.filter((r) => may(ctx, customer, other, r, "read")).sort((a, b) => a - b).map(String)
  }
  return { records: [{ id: "relatedIds", type: "", elements }], cntabsolute: null }
}

/** The checked pairs of a create or delete, or the failure, before anything is changed. */
const checkWrite = (
  ctx: Context,
  customer: Customer,
  type: Relation.RelationType,
  parents: ReadonlyArray<number>,
  children: ReadonlyArray<number>
): ApiFailure | undefined => {
  const sides = Relation.sidesOf(type)
  const unknownEstates = [...parents, ...(sides.child === "estate" ? children : [])].filter((id) =>
    !may(ctx, customer, "estate", id, "read")
  )
  if (unknownEstates.length > 0) return fail(ErrorCodes.Code.UnknownEstateRecord)
  if (sides.child === "address" && children.some((id) => !may(ctx, customer, "address", id, "read"))) {
    return fail(ErrorCodes.Code.UnknownAddressRecord)
  }
  const locked = parents.filter((id) => !may(ctx, customer, "estate", id, "write"))
  return locked.length > 0 ? fail(ErrorCodes.Code.MissingEstateWriteRight, locked.join(", ")) : undefined
}

const required = (ctx: Context, name: string) =>
  ctx.parameters[name] === undefined ? fail(ErrorCodes.Code.MissingParameter, name) : ctx.parameters[name]

/** What a create and a delete both name, checked in the API's order: the customer, the relation type, `parentid` and `childid` as sent. */
const named = (ctx: Context) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const type = relationType(ctx.parameters.relationtype)
  if (type instanceof ApiFailure) return type
  const parent = required(ctx, "parentid")
  if (parent instanceof ApiFailure) return parent
  const child = required(ctx, "childid")
  if (child instanceof ApiFailure) return child
  return { customer, type, parent, child }
}

export const create: Handler = (ctx) => {
  const action = named(ctx)
  if (action instanceof ApiFailure) return action
  const { customer, type } = action
  const parents = idList(action.parent, "parentid")
  if (parents instanceof ApiFailure) return parents
  const children = idList(action.child, "childid")
  if (children instanceof ApiFailure) return children
  if (parents.length === 0 || children.length === 0) return fail(ErrorCodes.Code.RelationNotCreated)
  if (parents.length > 1 && children.length > 1) return fail(ErrorCodes.Code.NnRelationsNotAllowed)
  const denied = checkWrite(ctx, customer, type, parents, children)
  if (denied !== undefined) return denied
  for (const parent of parents) for (const child of children) link(customer.relations, type, parent, child)
  // As recorded (packages/fixtures/responses/relation-create.json): no records.
  return { records: [], cntabsolute: null }
}

export const remove: Handler = (ctx) => {
  const action = named(ctx)
  if (action instanceof ApiFailure) return action
  const { customer, type } = action
  const parent = asInt(action.parent)
  if (parent === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "parentid")
  const child = asInt(action.child)
  if (child === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "childid")
  const denied = checkWrite(ctx, customer, type, [parent], [child])
  if (denied !== undefined) return denied
  const children = customer.relations.get(type)?.get(parent)
  if (children === undefined || !children.delete(child)) return fail(ErrorCodes.Code.EntryNotDeleted)
  // "If successful, the response is success" (the delete page), in the record the task modify page shows.
  return one({ success: "success" }, "relation")
}
