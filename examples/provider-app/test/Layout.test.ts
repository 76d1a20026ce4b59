/**
 * What the app is made of: the end-to-end driver is not part of it.
 */
import { describe, expect, it } from "vitest"
import * as Player from "../driver/Player.js"
import * as App from "../src/index.js"

describe("the provider app's modules", () => {
  it("leaves the end-to-end driver (Player) out of the app's own modules, in a project of its own", () => {
    expect(Object.keys(App)).not.toContain("Player")
    expect(typeof Player.make).toBe("function")
  })
})
