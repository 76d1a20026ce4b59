/**
 * The provider app as a library, for the demo and the tests: its layer, its
 * settings, its pages and back-office API, its webhook service.
 */
export * as AdminApi from "./AdminApi.js"
export * as App from "./App.js"
export * as Html from "./Html.js"
export * as Payments from "./Payments.js"
export * as Server from "./Server.js"
export * as Settings from "./Settings.js"
export * as Webhooks from "./Webhooks.js"
