/**
 * The fields a task create or modify may set, checked against their
 * documented types and value lists: 138 for a field tasks do not have, 255
 * for a value outside its list (`Art`: the task kind's type ids), 251 for a
 * user name the customer does not have.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { taskTypeIds } from "./actionKinds.js"
import { dateTimePattern } from "./agentsLog.js"
import { type ApiFailure, fail } from "./failure.js"
import { asInt } from "./handler.js"
import { text } from "./query.js"

const timePattern = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/
const units = ["Minuten", "Stunden", "Tage"]

type Check = (value: unknown, customer: Customer) => string | undefined

const intIn = (allowed: (n: number) => boolean): Check => (value) => {
  const n = asInt(value)
  return n !== undefined && allowed(n) ? String(n) : undefined
}
const matching = (pattern: RegExp): Check => (value) => typeof value === "string" && pattern.test(value) ? value : undefined
const anyText: Check = (value) => typeof value === "string" || typeof value === "number" ? String(value) : undefined
const userName: Check = (value, customer) =>
  typeof value === "string" && [...customer.users.values()].some((user) => user.name === value) ? value : undefined
const flag: Check = (value) => value === 0 || value === 1 || value === "0" || value === "1" ? String(value) : undefined
const effort: Check = (value) => {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
  return Number.isFinite(n) && n >= 0 ? String(n) : undefined
}
const unit: Check = (value) => typeof value === "string" && units.includes(value) ? value : undefined

const checks: Readonly<Record<string, Check>> = {
  Betreff: anyText,
  Aufgabe: anyText,
  Deadline: matching(dateTimePattern),
  Deadline_Zeit: matching(timePattern),
  Deadline_strikt: flag,
  Prio: intIn((n) => n >= 1 && n <= 5),
  Verantwortung: userName,
  Bearbeiter: userName,
  Art: intIn((n) => taskTypeIds.includes(n)),
  Status: intIn((n) => n >= 1 && n <= 8),
  Beginnt_am: matching(dateTimePattern),
  Beginnt_um: matching(timePattern),
  Aufwand_Soll_NUM: effort,
  Einheit_Aufwand_Soll: unit,
  Aufwand_Zusatz_NUM: effort,
  Einheit_Aufwand_Zusatz: unit
}

const modifyOnly: Readonly<Record<string, Check>> = {
  Stand: intIn((n) => [0, 25, 50, 75, 100].includes(n)),
  erledigt: (value, customer) => typeof value === "boolean" ? (value ? "1" : "0") : flag(value, customer)
}

/** The stored values of `data`, or the first failure; nothing is stored by this check. */
export const checkData = (
  customer: Customer,
  data: Readonly<Record<string, unknown>>,
  modify: boolean
): Readonly<Record<string, string>> | ApiFailure => {
  const stored: Record<string, string> = {}
  for (const [field, value] of Object.entries(data)) {
    const check = Object.hasOwn(checks, field) ? checks[field] : modify && Object.hasOwn(modifyOnly, field) ? modifyOnly[field] : undefined
    if (check === undefined) return fail(ErrorCodes.Code.UnknownTaskField)
    const checked = check(value, customer)
    if (checked === undefined) {
      return field === "Verantwortung" || field === "Bearbeiter"
        ? fail(ErrorCodes.Code.UnknownUser, text(value))
        : fail(ErrorCodes.Code.InvalidParameterValue, field)
    }
    stored[field] = checked
  }
  return stored
}

