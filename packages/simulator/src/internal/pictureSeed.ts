/**
 * Seeded estate pictures: the files of an estate published for the
 * homepage / API, deterministic from the world's seed and the estate id, with
 * titles and texts in each of the estate's language versions. Built the first
 * time an estate's pictures are asked for, so seeding costs nothing for
 * estates nobody looks at and the answer does not depend on the order of
 * requests.
 *
 * @internal
 */
import type { Estate } from "../Model.js"
import * as Random from "./random.js"

/** Title and free text of a picture in one language. */
export interface PictureText {
  readonly title: string
  readonly text: string
}

export interface SeededPicture {
  /** The file id: unique per customer (estate id × 10 + position). */
  readonly id: number
  readonly category: string
  readonly originalname: string
  /** Last change as a unix timestamp. */
  readonly modified: number
  /** In the system language. */
  readonly main: PictureText
  /** By language code, for the estate's other language versions. */
  readonly translations: ReadonlyMap<string, PictureText>
}

const cache = new WeakMap<Estate, Array<SeededPicture>>()

// 2025-01-01: pictures changed during the seeded year
const epoch = 1_735_689_600

const english: Record<string, string> = { Titelbild: "Front view", Foto: "Photo", Grundriss: "Floor plan", Lageplan: "Site plan" }
const german: Record<string, string> = { Titelbild: "Titelbild", Foto: "Foto", Grundriss: "Grundriss", Lageplan: "Lageplan" }

const categoriesOf = (r: Random.Random): ReadonlyArray<string> => {
  const out = ["Titelbild"]
  const photos = r.int(1, 3)
  for (let i = 0; i < photos; i++) out.push("Foto")
  if (r.next() < 0.5) out.push("Grundriss")
  if (r.next() < 0.3) out.push("Lageplan")
  return out
}

const build = (seed: number, estate: Estate): Array<SeededPicture> => {
  // One stream per estate: an estate's pictures do not change when others are added.
  const r = Random.make((Math.imul(seed, 2_654_435_761) ^ estate.id) >>> 0)
  const place = estate.fields.ort ?? ""
  return categoriesOf(r).map((category, position) => {
    const id = estate.id * 10 + position
    const n = position === 0 ? "" : ` ${position}`
    const translations = new Map<string, PictureText>()
    for (const language of estate.versions.keys()) {
      const label = language === "ENG" ? (english[category] ?? category) : `${german[category] ?? category} (${language})`
      translations.set(language, { title: `${label}${n}`, text: language === "ENG" ? `${label} in ${place}` : "" })
    }
    return {
      id,
      category,
      originalname: `${category.toLowerCase()}-${id}.jpg`,
      modified: epoch + r.int(0, 30_000_000),
      main: { title: `${german[category] ?? category}${n}`, text: `${german[category] ?? category} in ${place}` },
      translations
    }
  })
}

const listOf = (seed: number, estate: Estate): Array<SeededPicture> => {
  const cached = cache.get(estate)
  if (cached !== undefined) return cached
  const pictures = build(seed, estate)
  cache.set(estate, pictures)
  return pictures
}

/** The estate's pictures, in file order: the seeded ones, then those added. */
export const picturesOf = (seed: number, estate: Estate): ReadonlyArray<SeededPicture> => listOf(seed, estate)

/** Publishes one more picture for the estate, after its others (the operator API's `addPicture`). */
export const addPicture = (seed: number, estate: Estate, picture: SeededPicture): void => {
  listOf(seed, estate).push(picture)
}
