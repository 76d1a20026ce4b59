/**
 * What a provider page needs inside a service call, in one place: the
 * customer's CI colours and logo, the user's photo, and the estate the
 * service was opened from, read and written in the service call's language
 * (never guessed: the language comes from the signed URL).
 *
 * Run these as the customer user (`Customers.asCustomerUser`).
 *
 * @since 0.2.0
 */
import { BasicSettings, Estate, type OnOfficeClient, type OnOfficeError, type Page, type Principal, UserPhoto } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import { MalformedCall } from "./MarketplaceError.js"
import type { ServiceCall } from "./SignedCall.js"

type R = OnOfficeClient.OnOfficeClient | Principal.Current

/**
 * The customer's CI: logo (base64) and colours.
 *
 * @since 0.2.0
 * @category service page
 */
export const branding = (): Effect.Effect<BasicSettings.BasicData["characteristicsCi"], OnOfficeError.OnOfficeError, R> =>
  Effect.map(BasicSettings.read({ characteristicsCi: ["logo", "color", "color2", "textcolorMail"] }), (data) => data.characteristicsCi)

/**
 * The photo of the user who opened the service, as a link (`null` when
 * they have none).
 *
 * @since 0.2.0
 * @category service page
 */
export const userPhoto = (call: ServiceCall<unknown>): Effect.Effect<string | null, OnOfficeError.OnOfficeError, R> =>
  Effect.map(UserPhoto.read({ photosAsLinks: true }, { userId: call.userId }), (page) => page.records[0]?.elements.photo ?? null)

const estateOf = (call: ServiceCall<unknown>): Effect.Effect<number, MalformedCall> =>
  call.estateId === undefined
    ? Effect.fail(
      new MalformedCall({ call: "service", parameter: "estateid", problem: "is missing: the service was not opened from an estate" })
    )
    : Effect.succeed(call.estateId)

const languageOf = (call: ServiceCall<unknown>) => (call.language === undefined ? {} : { estatelanguage: call.language })

/**
 * The estate the service was opened from, in the service call's language.
 *
 * @since 0.2.0
 * @category service page
 */
export const readEstate = (
  call: ServiceCall<unknown>,
  data: ReadonlyArray<string>
): Effect.Effect<Page.RecordOf<Page.Elements> | undefined, OnOfficeError.OnOfficeError | MalformedCall, R> =>
  Effect.flatMap(estateOf(call), (estateId) =>
    Effect.map(Estate.read({ data, ...languageOf(call) }, { resourceid: estateId }), (page) => page.records[0]))

/**
 * Writes fields of the estate the service was opened from, in the service
 * call's language: the other language versions are untouched.
 *
 * @since 0.2.0
 * @category service page
 */
export const modifyEstate = (
  call: ServiceCall<unknown>,
  data: Readonly<Record<string, unknown>>
): Effect.Effect<void, OnOfficeError.OnOfficeError | MalformedCall, R> =>
  Effect.flatMap(estateOf(call), (estateId) => Estate.modify(estateId, { data, ...languageOf(call) }))
