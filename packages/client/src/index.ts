/**
 * `@onoffice-effect/client`: the onOffice API as Effects with typed errors.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ActionId from "./ActionId.js"
/** @since 0.1.0 */
export * as ApiVersion from "./ApiVersion.js"
/** @since 0.1.0 */
export * as ClaimProvider from "./ClaimProvider.js"
/** @since 0.3.0 */
export * as ClientMetrics from "./ClientMetrics.js"
/** @since 0.1.0 */
export * as Credentials from "./Credentials.js"
/** @since 0.1.0 */
export * as Envelope from "./Envelope.js"
/** @since 0.1.0 */
export * as ErrorCodes from "./ErrorCodes.js"
/** @since 0.2.0 */
export * as Html from "./Html.js"
/** @since 0.1.0 */
export * as OnOfficeClient from "./OnOfficeClient.js"
/** @since 0.1.0 */
export * as OnOfficeError from "./OnOfficeError.js"
/** @since 0.2.0 */
export * as Operation from "./Operation.js"
/** @since 0.2.0 */
export * as Principal from "./Principal.js"
/** @since 0.1.0 */
export * as Signing from "./Signing.js"
/** @since 0.1.0 */
export * as Address from "./Address.js"
/** @since 0.3.0 */
export * as ActionKindTypes from "./ActionKindTypes.js"
/** @since 0.3.0 */
export * as AgentsLog from "./AgentsLog.js"
/** @since 0.1.0 */
export * as BasicSettings from "./BasicSettings.js"
/** @since 0.3.0 */
export * as Calendar from "./Calendar.js"
/** @since 0.1.0 */
export * as Estate from "./Estate.js"
/** @since 0.3.0 */
export * as EstateCategories from "./EstateCategories.js"
/** @since 0.3.0 */
export * as EstatePictures from "./EstatePictures.js"
/** @since 0.3.0 */
export * as Multilingual from "./Multilingual.js"
/** @since 0.1.0 */
export * as Page from "./Page.js"
/** @since 0.1.0 */
export * as Query from "./Query.js"
/** @since 0.3.0 */
export * as Regions from "./Regions.js"
/** @since 0.3.0 */
export * as Search from "./Search.js"
/** @since 0.3.0 */
export * as Relation from "./Relation.js"
/** @since 0.3.0 */
export * as Task from "./Task.js"
/** @since 0.3.0 */
export * as SearchCriteria from "./SearchCriteria.js"
/** @since 0.3.0 */
export * as SearchCriteriaFields from "./SearchCriteriaFields.js"
/** @since 0.1.0 */
export * as UserPhoto from "./UserPhoto.js"
/** @since 0.3.0 */
export * as Users from "./Users.js"
/** @since 0.3.0 */
export * as UploadFile from "./UploadFile.js"
/** @since 0.3.0 */
export * as Files from "./Files.js"
/** @since 0.3.0 */
export * as FieldConfig from "./FieldConfig.js"
/** @since 0.3.0 */
export * as FieldConfigCache from "./FieldConfigCache.js"
/** @since 0.3.0 */
export * as Fields from "./Fields.js"
/** @since 0.3.0 */
export * as FieldSchema from "./FieldSchema.js"
/** @since 0.3.0 */
export * as FieldCodegen from "./FieldCodegen.js"
