/**
 * The demo customer of a fresh world and handler contexts for calling its
 * API handlers directly, as a given customer user (undefined: all rights).
 */
import type { Context } from "../src/internal/handler.js"
import type { User } from "../src/Model.js"
import { defaultOptions, World } from "../src/World.js"

export const demoCustomer = () => {
  const world = new World(defaultOptions)
  const customer = world.demo.customer
  const user = (name: string) => [...customer.users.values()].find((u) => u.name === name)!
  const as = (who: User | undefined) => (parameters: Record<string, unknown>, resourceid: string | number = ""): Context => ({
    world,
    apiUser: world.demo.apiUser,
    customer,
    user: who,
    claim: undefined,
    baseUrl: "http://sim.test",
    resourceid,
    parameters,
    unlockSoftFailure: false,
    recordBudget: 50_000
  })
  const agent = user("Agent")
  const trainee = user("Trainee")
  return { world, customer, agent, trainee, admin: as(undefined), asAgent: as(agent), asTrainee: as(trainee) }
}
