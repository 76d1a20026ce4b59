/**
 * Regions (`get regions`): each customer's regional additions, seeded once
 * per customer and deterministic from the world's seed and the customer's
 * id. The tree covers the postcodes the seeded estates and addresses use
 * (Aachen, Köln, Düsseldorf, Bonn, Berlin), and holds one inactive region
 * with an active child, which the API leaves out with its parent.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { type Context, customerOf, type Handler } from "./handler.js"
import * as Random from "./random.js"

/** A seeded region; `names` by language, DEU always present. */
export interface SeededRegion {
  readonly id: string
  readonly names: Readonly<Record<string, string>>
  readonly description: string | null
  readonly postalcodes: ReadonlyArray<string | readonly [string, string]>
  readonly state: string
  readonly active: boolean
  readonly children: ReadonlyArray<SeededRegion>
}

interface Shape {
  readonly names: Readonly<Record<string, string>>
  readonly description?: string
  readonly postalcodes: ReadonlyArray<string | readonly [string, string]>
  readonly state: string
  readonly active?: boolean
  readonly children?: ReadonlyArray<Shape>
}

const nrw = "Nordrhein-Westfalen"
const tree: ReadonlyArray<Shape> = [
  {
    names: { DEU: "Rheinland", ENG: "Rhineland" },
    description: "Rheinland",
    postalcodes: [["40000", "53999"]],
    state: nrw,
    children: [
      { names: { DEU: "Aachen" }, postalcodes: [["52062", "52080"]], state: nrw },
      {
        names: { DEU: "Köln", ENG: "Cologne" },
        postalcodes: [["50667", "51149"]],
        state: nrw,
        children: [
          { names: { DEU: "Nippes" }, description: "Stadtbezirk 5 von Köln", postalcodes: ["50733"], state: nrw },
          { names: { DEU: "Chorweiler" }, description: "Stadtbezirk 6 von Köln", postalcodes: ["50765"], state: nrw }
        ]
      },
      { names: { DEU: "Düsseldorf" }, postalcodes: [["40210", "40629"]], state: nrw },
      { names: { DEU: "Bonn" }, postalcodes: [["53111", "53229"]], state: nrw }
    ]
  },
  {
    names: { DEU: "Berlin" },
    postalcodes: [["10115", "14199"]],
    state: "Berlin",
    children: [{ names: { DEU: "Mitte" }, postalcodes: ["10115", "10117", "10119"], state: "Berlin" }]
  },
  {
    names: { DEU: "Brandenburg" },
    description: "nicht mehr betreut",
    postalcodes: [["14400", "16999"]],
    state: "Brandenburg",
    active: false,
    children: [{ names: { DEU: "Potsdam" }, postalcodes: [["14467", "14482"]], state: "Brandenburg" }]
  }
]

const hash = (text: string): number => {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

const build = (r: Random.Random, shape: Shape): SeededRegion => ({
  id: `indMulti${r.int(1000, 9999)}Select${r.int(1000, 9999)}`,
  names: shape.names,
  description: shape.description ?? null,
  postalcodes: shape.postalcodes,
  state: shape.state,
  active: shape.active ?? true,
  children: (shape.children ?? []).map((child) => build(r, child))
})

const seeded = new WeakMap<Customer, ReadonlyArray<SeededRegion>>()

/** A customer's regions: the same for the same seed and customer id, built on first use. */
export const regionsOf = (seed: number, customer: Customer): ReadonlyArray<SeededRegion> => {
  const known = seeded.get(customer)
  if (known !== undefined) return known
  // Its own generator, so seeding regions never shifts other seeded data.
  const r = Random.make(seed ^ hash(customer.customerWebId))
  const regions = tree.map((shape) => build(r, shape))
  seeded.set(customer, regions)
  return regions
}

/** A region as the API sends it: active children only, keyed by id, `[]` for none. */
const elementsOf = (region: SeededRegion, language: string): Record<string, unknown> => {
  const children = region.children.filter((child) => child.active)
  return {
    id: region.id,
    name: region.names[language] ?? region.names.DEU ?? "",
    description: region.description,
    postalcodes: region.postalcodes,
    state: region.state,
    country: "Deutschland",
    children: children.length === 0 ? [] : Object.fromEntries(children.map((child) => [child.id, elementsOf(child, language)]))
  }
}

const languageOf = (ctx: Context, customer: Customer): string | ApiFailure => {
  const language = ctx.parameters.language
  if (language === undefined || language === "") return customer.language
  if (typeof language !== "string" || !/^[A-Z]{3}$/.test(language)) {
    return fail(ErrorCodes.Code.InvalidLanguage, typeof language === "string" ? language : JSON.stringify(language))
  }
  return language
}

/** `get regions`: the active top-level regions, one record each. */
export const getRegions: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const language = languageOf(ctx, customer)
  if (language instanceof ApiFailure) return language
  const regions = regionsOf(ctx.world.options.seed, customer).filter((region) => region.active)
  return {
    cntabsolute: null,
    records: regions.map((region) => ({ id: region.id, type: "", elements: elementsOf(region, language) }))
  }
}
