/**
 * `@onoffice-effect/marketplace`: the onOffice Marketplace for providers,
 * as Effects with typed errors: signed URLs verified, customers and their
 * latest claims, activation, the marketplace calls and payment.
 *
 * @since 0.2.0
 */

/** @since 0.2.0 */
export * as Activation from "./Activation.js"
/** @since 0.2.0 */
export * as Customers from "./Customers.js"
/** @since 0.2.0 */
export * as MarketplaceCalls from "./MarketplaceCalls.js"
/** @since 0.2.0 */
export * as MarketplaceError from "./MarketplaceError.js"
/** @since 0.3.0 */
export * as MarketplaceKit from "./MarketplaceKit.js"
/** @since 0.2.0 */
export * as Order from "./Order.js"
/** @since 0.3.0 */
export * as PendingActivations from "./PendingActivations.js"
/** @since 0.3.0 */
export * as Provider from "./Provider.js"
/** @since 0.2.0 */
export * as ProviderSecret from "./ProviderSecret.js"
/** @since 0.2.0 */
export * as ReplayGuard from "./ReplayGuard.js"
/** @since 0.2.0 */
export * as ServicePage from "./ServicePage.js"
/** @since 0.3.0 */
export * as Sessions from "./Sessions.js"
/** @since 0.2.0 */
export * as SignedCall from "./SignedCall.js"
/** @since 0.2.0 */
export * as StoreContract from "./StoreContract.js"
/** @since 0.2.0 */
export * as Stores from "./Stores.js"
/** @since 0.3.0 */
export * as Webhook from "./Webhook.js"
