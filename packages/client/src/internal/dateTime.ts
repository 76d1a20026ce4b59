/**
 * The API's date and time formats as schemas: `Y-m-d H:i:s` and `H:i:s`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

export const DateTime = Schema.String.pipe(
  Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, {
    message: () => "a date and time is Y-m-d H:i:s"
  })
)

export const Time = Schema.String.pipe(Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, { message: () => "a time is H:i:s" }))
