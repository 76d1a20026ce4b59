/**
 * `create`/`agentslog`: the documented checks of a new activity, in the
 * API's order of concern (links, then values), all before anything is
 * written; one entry per linked address.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { cancellationReasons, features, kindOf, originContacts, stringList } from "./actionKinds.js"
import { dateTime, dateTimePattern, journalOf } from "./agentsLog.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, scopeOf } from "./handler.js"
import { text } from "./query.js"

/** The linked estate and addresses, each one the claim's user may read. */
const links = (ctx: Context, customer: Customer) => {
  const p = ctx.parameters
  if (p.addressids === undefined && p.estateid === undefined) return fail(ErrorCodes.Code.MissingAgentsLogLink)
  let estate = ""
  if (p.estateid !== undefined) {
    const id = asInt(p.estateid)
    const record = id === undefined ? undefined : customer.estates.get(id)
    if (record === undefined || !allows(scopeOf(ctx.user, "estates", "read"), record.fields.benutzer, ctx.user)) {
      return fail(ErrorCodes.Code.UnknownEstateRecord)
    }
    estate = String(record.id)
  }
  if (p.addressids === undefined) return { estate, addresses: [""] }
  if (!Array.isArray(p.addressids)) return fail(ErrorCodes.Code.ExpectedArray)
  if (p.addressids.length === 0) return fail(ErrorCodes.Code.MissingAgentsLogLink)
  const addresses: Array<string> = []
  for (const raw of p.addressids) {
    const id = asInt(raw)
    const record = id === undefined ? undefined : customer.addresses.get(id)
    if (record === undefined || !allows(scopeOf(ctx.user, "addresses", "read"), record.fields.benutzer, ctx.user)) {
      return fail(ErrorCodes.Code.UnknownAddressRecord)
    }
    addresses.push(String(record.id))
  }
  return { estate, addresses }
}

const isNumeric = (u: unknown) =>
  (typeof u === "number" && Number.isFinite(u)) || (typeof u === "string" && /^\d+(\.\d+)?$/.test(u.trim()))

/** Kind, type and the value lists; the stored fields, or the first failure. */
const values = (p: Readonly<Record<string, unknown>>) => {
  const kind = p.actionkind === undefined ? undefined : kindOf(text(p.actionkind))
  if (p.actionkind !== undefined && kind === undefined) return fail(ErrorCodes.Code.UnknownActionKind, text(p.actionkind))
  if (p.actiontype !== undefined && (kind === undefined || !Object.hasOwn(kind.types, text(p.actiontype)))) {
    return fail(ErrorCodes.Code.UnknownActionType, text(p.actiontype))
  }
  if (p.origincontact !== undefined && !originContacts.includes(text(p.origincontact))) {
    return fail(ErrorCodes.Code.UnknownOriginContact, text(p.origincontact))
  }
  const marks = p.features === undefined ? [] : stringList(p.features)
  const unknownMark = marks === undefined ? text(p.features) : marks.find((m) => !features.includes(m))
  if (unknownMark !== undefined) return fail(ErrorCodes.Code.UnknownFeature, unknownMark)
  if (p.cost !== undefined && (!isNumeric(p.cost) || Number(p.cost) < 0)) return fail(ErrorCodes.Code.InvalidCost, text(p.cost))
  if (p.duration !== undefined && (asInt(p.duration) === undefined || Number(p.duration) < 0)) {
    return fail(ErrorCodes.Code.InvalidDuration, text(p.duration))
  }
  const level = p.advisorylevel === undefined ? "" : text(p.advisorylevel)
  if (level !== "" && !/^[A-G]$/.test(level)) return fail(ErrorCodes.Code.UnknownAdvisoryLevel, level)
  if (p.reasoncancellation !== undefined) {
    if (level !== "G") return fail(ErrorCodes.Code.CancellationWithoutAdvisoryLevel)
    if (!cancellationReasons.includes(text(p.reasoncancellation))) {
      return fail(ErrorCodes.Code.UnknownCancellationReason, text(p.reasoncancellation))
    }
  }
  return {
    Aktionsart: kind?.key ?? "",
    Aktionstyp: p.actiontype === undefined ? "" : text(p.actiontype),
    HerkunftKontakt: p.origincontact === undefined ? "" : text(p.origincontact),
    merkmal: (marks ?? []).join(","),
    Kosten: p.cost === undefined ? "0.00" : Number(p.cost).toFixed(2),
    dauer: p.duration === undefined ? "0" : String(asInt(p.duration)),
    Beratungsebene: level,
    Absagegrund: p.reasoncancellation === undefined ? "" : text(p.reasoncancellation),
    Bemerkung: p.note === undefined ? "" : text(p.note)
  }
}

export const createAgentsLog: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const p = ctx.parameters
  const linked = links(ctx, customer)
  if (linked instanceof ApiFailure) return linked
  const stored = values(p)
  if (stored instanceof ApiFailure) return stored
  if (p.datetime !== undefined && (typeof p.datetime !== "string" || !dateTimePattern.test(p.datetime))) {
    return fail(ErrorCodes.Code.InvalidDate)
  }
  const userId = p.userid === undefined ? ctx.user?.id : asInt(p.userid)
  const user = userId === undefined ? undefined : customer.users.get(userId)
  if (p.userid !== undefined && user === undefined) return fail(ErrorCodes.Code.UserIdUnknown)
  const now = dateTime(ctx.world.now())
  const datum = typeof p.datetime === "string" ? p.datetime : now
  const journal = journalOf(ctx.world, customer)
  const records: Array<{ readonly id: number; readonly type: string; readonly elements: ReadonlyArray<never> }> = []
  for (const address of linked.addresses) {
    const id = journal.nextId++
    records.push({ id, type: "agentsLog", elements: [] })
    journal.entries.push({
      id,
      fields: {
        Objekt_nr: linked.estate,
        Adress_nr: address,
        Datum: datum,
        created: now,
        Datum_bearb: now,
        Benutzer: user?.name ?? "",
        Benutzer_nr: user === undefined ? "" : String(user.id),
        ...stored
      }
    })
  }
  // As recorded from the live API: one record per entry, elements an empty PHP array.
  return { records, cntabsolute: null }
}
