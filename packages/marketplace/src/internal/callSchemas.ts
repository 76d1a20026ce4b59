/**
 * The schemas of the signed URLs' parameters.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

const IntFromString = Schema.compose(Schema.NumberFromString, Schema.Int)
const NonEmpty = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

/** See `SignedCall.ActivationParameters`. */
export const ActivationParameters = Schema.Struct({
  apiToken: NonEmpty,
  parameterCacheId: NonEmpty,
  apiClaim: NonEmpty,
  customerName: Schema.String,
  customerWebId: NonEmpty,
  userId: IntFromString,
  timestamp: IntFromString
})

/** See `SignedCall.ServiceParameters`. */
export const ServiceParameters = Schema.Struct({
  apiClaim: NonEmpty,
  customerName: Schema.String,
  customerWebId: NonEmpty,
  userId: IntFromString,
  parameterCacheId: NonEmpty,
  timestamp: IntFromString,
  groupId: Schema.optional(IntFromString),
  imageIds: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d+(,\d+)*$/, { message: () => "must be a comma-separated list of ids" }))),
  language: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/, { message: () => "must be a language code like ENG" })))
})

/** See `SignedCall.PaymentCallbackParameters`. */
export const PaymentCallbackParameters = Schema.Struct({
  status: Schema.Literal("success", "inprocess", "error"),
  transactionid: NonEmpty,
  aboid: Schema.optionalWith(Schema.String, { default: () => "" }),
  referenceid: Schema.optionalWith(Schema.String, { default: () => "" }),
  message: Schema.optionalWith(Schema.String, { default: () => "" }),
  errorCodes: Schema.optionalWith(Schema.String, { default: () => "" }),
  timestamp: IntFromString
})
