/**
 * Basic settings (`basicsettings`): the customer's CI colours and logo, so a
 * provider's pages inside onOffice look like the customer's installation.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "basicsettings"

/**
 * The fields of the category "Characteristics/CI".
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiField = Schema.Literal(
  "logo",
  "color",
  "color2",
  "textcolorMail",
  "claim",
  "systemUiColor",
  "moduleIconUiColor",
  "moduleIconShadeUiType",
  "warningNoticeUiColor",
  "showLogoInQuickbar",
  "spotColor"
)

/**
 * @since 0.1.0
 * @category models
 */
export type CiField = typeof CiField.Type

/**
 * What to read: CI fields (default: logo and the colours), and optionally the
 * team's "about us" text and permission flags.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  characteristicsCi: Query.optional(Schema.NonEmptyArray(CiField)),
  team: Query.optional(Schema.Array(Schema.Literal("about"))),
  permissions: Query.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * The CI settings. Colours are hexadecimal without `#` (`"d8bfd8"`); the logo
 * is base64-encoded image data (or empty).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CharacteristicsCi = Schema.Struct({
  logo: Query.optional(Schema.String),
  color: Query.optional(Schema.String),
  color2: Query.optional(Schema.String),
  textcolorMail: Query.optional(Schema.String),
  claim: Query.optional(Schema.String),
  systemUiColor: Query.optional(Schema.String),
  moduleIconUiColor: Query.optional(Schema.String),
  moduleIconShadeUiType: Query.optional(Schema.String),
  warningNoticeUiColor: Query.optional(Schema.String),
  showLogoInQuickbar: Query.optional(Schema.Boolean),
  spotColor: Query.optional(Schema.String)
})

/**
 * The `basicData` tab as returned.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BasicData = Schema.Struct({
  characteristicsCi: Query.optional(CharacteristicsCi),
  team: Query.optional(Schema.Struct({ about: Query.optional(Schema.String) })),
  permissions: Query.optional(Schema.Record({ key: Schema.String, value: Schema.Boolean }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type BasicData = typeof BasicData.Type

/**
 * The record's elements.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Schema.Struct({ basicData: BasicData })

/**
 * The default CI fields read.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCiFields: ReadonlyArray<CiField> = ["logo", "color", "color2", "textcolorMail", "claim"]

/**
 * `read`/`basicsettings` as a descriptor: one record whose `basicData` holds
 * what was asked for.
 *
 * @since 0.2.0
 * @category operations
 */
export const Read = Operation.make({
  verb: "read",
  resourcetype,
  parameters: ReadParameters,
  elements: Elements,
  result: "record",
  span: "BasicSettings.read",
  toWire: (checked) => ({
    data: {
      basicData: {
        characteristicsCi: checked.characteristicsCi ?? defaultCiFields,
        ...(checked.team === undefined ? {} : { team: checked.team }),
        ...(checked.permissions === undefined ? {} : { permissions: checked.permissions })
      }
    }
  })
})

/**
 * Reads the basic settings.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BasicSettings } from "@onoffice-effect/client"
 *
 * const colours = BasicSettings.read().pipe(
 *   Effect.map((settings) => settings.characteristicsCi?.color)
 * )
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read = (
  parameters: ReadParameters = {}
): Effect.Effect<BasicData, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Read, parameters), (record) => record.elements.basicData)
