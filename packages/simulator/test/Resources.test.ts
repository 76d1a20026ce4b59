/**
 * The resource handlers' helpers (internal/resources.ts).
 */
import { describe, expect, it } from "vitest"
import { requestedFields } from "../src/internal/resources.js"

describe("requestedFields", () => {
  const known = ["Id", "objekttitel", "kaufpreis"]

  it("names each requested field once, in the order first asked", () => {
    const data = [...Array.from({ length: 100_000 }, () => "Id"), "kaufpreis", "Id", "kaufpreis"]
    expect(requestedFields(data, known)).toStrictEqual(["Id", "kaufpreis"])
  })

  it("answers a non-string name with 255 before an unknown field with 75", () => {
    expect(requestedFields(["nope", 1], known)).toMatchObject({ errorcode: 255 })
    expect(requestedFields(["Id", "nope"], known)).toMatchObject({ errorcode: 75, message: "Unknown field: \"nope\"" })
    expect(requestedFields("Id", known)).toMatchObject({ errorcode: 255 })
    expect(requestedFields(undefined, known)).toBe(known)
  })
})
