/**
 * A customer's field configuration (the answer of `get fields`), typed: per
 * module, per field its name, type, length, permitted values with labels,
 * default, filters and dependencies, and whether it is language dependent.
 * Which fields exist is each customer's own configuration; read it with
 * `Fields.config` (or cached, `FieldConfigCache`) and derive schemas from it
 * with `FieldSchema`.
 *
 * @since 0.3.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import type { Page } from "./Page.js"
import * as Query from "./Query.js"

/**
 * The field types the API documents and the recorded answers show. Others
 * (`blob`, `user`, data type URNs, types added later) are kept as sent.
 *
 * @since 0.3.0
 * @category constants
 */
export const knownTypes = [
  "varchar",
  "text",
  "integer",
  "float",
  "boolean",
  "date",
  "datetime",
  "singleselect",
  "multiselect"
] as const

/**
 * @since 0.3.0
 * @category models
 */
export type KnownType = typeof knownTypes[number]

/**
 * One field as the API describes it. `languageDependent` is not documented
 * (the simulator sends it); see {@link isLanguageDependent} for the rule
 * applied without it.
 *
 * @since 0.3.0
 * @category schemas
 */
export const FieldInfo = Schema.Struct({
  type: Schema.String,
  length: Query.optional(Schema.NullOr(Envelope.LooseInt)),
  /** Key → label (labels requested), or a list of keys; `null` for fields without a value list. */
  permittedvalues: Query.optional(Schema.NullOr(Schema.Union(Envelope.PhpObject, Schema.Array(Schema.Unknown)))),
  default: Query.optional(Schema.Unknown),
  label: Query.optional(Schema.NullOr(Schema.String)),
  tablename: Query.optional(Schema.NullOr(Schema.String)),
  content: Query.optional(Schema.NullOr(Schema.String)),
  /** With `showfieldfilters`. */
  filters: Query.optional(Schema.Unknown),
  /** With `showfielddependencies`. */
  dependencies: Query.optional(Schema.Unknown),
  compoundFields: Query.optional(Schema.Unknown),
  languageDependent: Query.optional(Schema.Boolean)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * @since 0.3.0
 * @category models
 */
export type FieldInfo = typeof FieldInfo.Type

/**
 * The elements of one record of the answer (one module): the module's
 * `label` beside one entry per field.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ModuleElements = Schema.Record({
  key: Schema.String,
  value: Schema.Union(FieldInfo, Schema.String, Schema.Null)
})

/**
 * @since 0.3.0
 * @category models
 */
export type ModuleElements = typeof ModuleElements.Type

/**
 * A permitted value of a select field: the stored key and its label in the
 * requested language (`null` without labels).
 *
 * @since 0.3.0
 * @category models
 */
export interface PermittedValue {
  readonly value: string
  readonly label: string | null
}

/**
 * One field of a module.
 *
 * @since 0.3.0
 * @category models
 */
export interface Field {
  readonly name: string
  readonly module: string
  /** A {@link KnownType} or the type as the API sent it. */
  readonly type: string
  /** The most characters (`varchar`); `null` for no limit. */
  readonly length: number | null
  /** The permitted values of a select field; `null` when the API lists none. */
  readonly permittedValues: ReadonlyArray<PermittedValue> | null
  readonly default: string | null
  readonly label: string | null
  /** The group of fields it is shown in (`content`). */
  readonly group: string | null
  readonly filters: unknown
  readonly dependencies: unknown
  /** Kept per language version of a multilingual estate (write it with `estatelanguage`). */
  readonly languageDependent: boolean
}

/**
 * The fields of one module.
 *
 * @since 0.3.0
 * @category models
 */
export interface Module {
  readonly id: string
  readonly label: string | null
  readonly fields: ReadonlyArray<Field>
}

/**
 * A customer's field configuration: the modules that were asked for.
 *
 * @since 0.3.0
 * @category models
 */
export interface FieldConfig {
  readonly modules: ReadonlyArray<Module>
}

/**
 * The estate free texts the multilingual-estates page names as language
 * dependent ("the free texts like location, description, equipment").
 *
 * @since 0.3.0
 * @category constants
 */
export const freeTexts: ReadonlyArray<string> = ["objekttitel", "objektbeschreibung", "lage", "ausstatt_beschr", "sonstige_angaben"]

/**
 * Whether a field is language dependent: the answer's `languageDependent`
 * where it has one; otherwise an estate field is when it is a free text
 * (in the free-text group `ObjFreitexte`, or one of {@link freeTexts}).
 * `get fields` documents no such attribute, so this is the rule of the
 * multilingual-estates page, not the customer's word.
 *
 * @since 0.3.0
 * @category predicates
 */
export const isLanguageDependent = (module: string, name: string, info: FieldInfo): boolean =>
  info.languageDependent ?? (module === "estate" && (info.tablename === "ObjFreitexte" || freeTexts.includes(name)))

const text = (u: unknown): string | null =>
  u === null || u === undefined ? null : typeof u === "string" ? u : typeof u === "number" || typeof u === "boolean" ? String(u) : null

const permittedValuesOf = (info: FieldInfo): ReadonlyArray<PermittedValue> | null => {
  const values = info.permittedvalues
  if (values === undefined || values === null) return null
  if (Array.isArray(values)) return values.flatMap((v) => (text(v) === null ? [] : [{ value: text(v)!, label: null }]))
  return Object.entries(values).map(([value, label]) => ({ value, label: text(label) }))
}

/**
 * One field from its description in the answer.
 *
 * @since 0.3.0
 * @category constructors
 */
export const field = (module: string, name: string, info: FieldInfo): Field => ({
  name,
  module,
  type: info.type,
  length: info.length ?? null,
  permittedValues: permittedValuesOf(info),
  default: text(info.default),
  label: info.label ?? null,
  group: info.content ?? null,
  filters: info.filters ?? null,
  dependencies: info.dependencies ?? null,
  languageDependent: isLanguageDependent(module, name, info)
})

/**
 * One module from a record of the answer (its `label`, then its fields).
 *
 * @since 0.3.0
 * @category constructors
 */
export const moduleOf = (id: string, elements: ModuleElements): Module => {
  const fields: Array<Field> = []
  let label: string | null = null
  for (const [name, value] of Object.entries(elements)) {
    if (value === null || typeof value === "string") {
      if (name === "label") label = value
    } else fields.push(field(id, name, value))
  }
  return { id, label, fields }
}

/**
 * The configuration from the page `Fields.get` answers (one record per
 * module, its id the module's).
 *
 * @since 0.3.0
 * @category constructors
 */
export const fromPage = (page: Page<ModuleElements>): FieldConfig => ({
  modules: page.records.map((record) => moduleOf(String(record.id), record.elements))
})

/**
 * A module of the configuration.
 *
 * @since 0.3.0
 * @category getters
 */
export const module = (self: FieldConfig, id: string): Option.Option<Module> =>
  Option.fromNullable(self.modules.find((m) => m.id === id))

/**
 * A field of a module.
 *
 * @since 0.3.0
 * @category getters
 */
export const fieldOf = (self: FieldConfig, moduleId: string, name: string): Option.Option<Field> =>
  Option.flatMap(module(self, moduleId), (m) => Option.fromNullable(m.fields.find((f) => f.name === name)))

/**
 * Whether the field's type is one the schemas know (others are kept as sent).
 *
 * @since 0.3.0
 * @category predicates
 */
export const isKnownType = (type: string): type is KnownType => (knownTypes as ReadonlyArray<string>).includes(type)
