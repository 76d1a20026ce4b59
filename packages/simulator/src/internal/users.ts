/**
 * Users (`get users`): the customer's seeded users as the API lists them,
 * and the user groups they belong to. The seed has no groups, so they are
 * derived from the users, the same for the same customer: the office group
 * {@link officeGroupId} holds every user, the sales group
 * {@link salesGroupId} those who may edit estates.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer, User } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { asInt, type Context, customerOf, type Handler } from "./handler.js"

const Code = ErrorCodes.Code

/** Every user's office group. */
export const officeGroupId = 225
/** The users who may edit estates (theirs or all). */
export const salesGroupId = 226

/** The members of a group, or undefined for a group the customer does not have. */
export const groupMembers = (customer: Customer, groupId: number): ReadonlyArray<User> | undefined => {
  const users = [...customer.users.values()]
  if (groupId === officeGroupId) return users
  if (groupId === salesGroupId) return users.filter((u) => u.rights.estates.write !== "none")
  return undefined
}

/** A user's login name: the name in lower case, letters and digits only. */
export const usernameOf = (user: User): string => user.name.toLocaleLowerCase("de").replace(/[^a-z0-9]+/g, "")

const names = (user: User) => {
  const [first = "", ...rest] = user.name.trim().split(/\s+/)
  return { firstname: first, lastname: rest.join(" ") }
}

const elementsOf = (customer: Customer, user: User) => ({
  id: user.id,
  username: usernameOf(user),
  ...names(user),
  email: user.email,
  meetingurl: `https://meet.example/${customer.customerWebId}/${usernameOf(user)}`
})

/** Whose users a filter asks for, or the API's error. */
const selected = (ctx: Context, customer: Customer): ReadonlyArray<User> | ApiFailure => {
  const { groupId, userfilter } = ctx.parameters
  const all = [...customer.users.values()]
  if (userfilter === undefined || userfilter === "") {
    return groupId === undefined ? all : fail(Code.InvalidParameterValue, "groupId")
  }
  if (userfilter === "ownOfficeGroupOrAll") return groupMembers(customer, officeGroupId) ?? all
  // A plain API user has no customer user behind it: it acts as the installation's first user.
  if (userfilter === "onlyOwn") {
    const own = ctx.user ?? all[0]
    return own === undefined ? [] : [own]
  }
  if (userfilter !== "byGroupId") return fail(Code.InvalidParameterValue, "userfilter")
  const id = asInt(groupId)
  const members = id === undefined ? undefined : groupMembers(customer, id)
  return members ?? fail(Code.InvalidGroupId)
}

/** `get users`: the installation's users, filtered by `userfilter`. */
export const getUsers: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const users = selected(ctx, customer)
  if (users instanceof ApiFailure) return users
  const own = ctx.parameters.userfilter === "onlyOwn"
  return {
    cntabsolute: null,
    records: [...users].sort((a, b) => a.id - b.id).map((user) => {
      const elements = elementsOf(customer, user)
      const { email: _email, meetingurl: _url, ...who } = elements
      return { id: user.id, type: null, elements: own ? { ...elements, NeuerTerminFuer: [who] } : elements }
    })
  }
}
