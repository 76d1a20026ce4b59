/**
 * A compiled fast path for decoding records' `elements` with a caller's
 * schema. Schema's generic parser costs ~30 µs per record for a struct of ten
 * fields; for the schemas callers write in practice (a struct of known
 * fields whose types are strings, numbers, booleans, `NumberFromString`,
 * literals and unions of those, refinements of those, optional fields,
 * nested structs, records of string keys and arrays) this module walks the
 * schema's AST once and builds a plain function that does the same checks
 * and conversions.
 *
 * It mirrors `ParseResult`'s decoding with {@link Envelope.decodeOptions}
 * (`onExcessProperty: "preserve"`): excess keys first, in input order, then
 * the declared ones; an optional key that is absent stays absent. Its inputs
 * are JSON values (a record's elements as `JSON.parse` made them): objects
 * whose own keys are strings and enumerable, which it reads with `for…in`
 * rather than the Schema's costlier `Reflect.ownKeys`. Anything
 * else (transformations other than `NumberFromString`, index signatures
 * beside fields or of other keys, records of unknown values, classes, unions of structs, parse-option annotations) is not compiled, and
 * the caller decodes with the full Schema. The fast path only ever answers
 * "decoded, with this value" or "not decided": on `failed` the caller runs
 * the full decode, so errors are the Schema's own. Property tests hold it
 * equal to the Schema (test/CompiledElements.test.ts).
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Envelope from "../Envelope.js"

/**
 * What a compiled decoder returns when it can not decode the input; the
 * caller then runs the full Schema decode.
 */
export const failed: unique symbol = Symbol.for("@onoffice-effect/client/internal/compiledElements/failed")

/** A compiled decoder: the decoded value, or {@link failed}. */
export type Decoder<A> = (input: unknown) => A | typeof failed

type Run = (input: unknown) => unknown

interface Node {
  readonly run: Run
  /** Whether the node accepts a value without building a new one (a scalar check). */
  readonly scalar: boolean
}

const guard = (accepts: (input: unknown) => boolean): Node => ({
  run: (input) => (accepts(input) ? input : failed),
  scalar: true
})

const numberFromString = Schema.NumberFromString.ast

const isNumberFromString = (ast: AST.Transformation) =>
  numberFromString._tag === "Transformation" &&
  ast.transformation === numberFromString.transformation &&
  ast.from === numberFromString.from &&
  ast.to === numberFromString.to

// `Number.parse` (what `NumberFromString` decodes with) without its `Option`
// and its `trim` per value: `Number` reads a blank string as 0, the only
// case where the two differ.
const decodeNumber: Run = (input) => {
  if (typeof input !== "string") return failed
  if (input === "NaN") return NaN
  const n = Number(input)
  if (Number.isNaN(n) || (n === 0 && input.trim() === "")) return failed
  return n
}

const refinement = (ast: AST.Refinement): Node | undefined => {
  const from = compileNode(ast.from)
  if (from === undefined) return undefined
  return {
    run: (input) => {
      const value = from.run(input)
      return value !== failed && Option.isNone(ast.filter(value, Envelope.decodeOptions, ast)) ? value : failed
    },
    scalar: from.scalar
  }
}

// Only unions of scalars: the Schema tries their members in order and the
// first that accepts wins. Unions with structs pick candidates by literal
// fields first, which this module does not reproduce.
const union = (ast: AST.Union): Node | undefined => {
  const members: Array<Run> = []
  for (const type of ast.types) {
    const member = compileNode(type)
    if (member === undefined || !member.scalar) return undefined
    members.push(member.run)
  }
  return {
    run: (input) => {
      for (const member of members) {
        const value = member(input)
        if (value !== failed) return value
      }
      return failed
    },
    scalar: true
  }
}

interface Field {
  readonly name: string
  readonly optional: boolean
  readonly run: Run
}

// A record of string keys (`Schema.Record({ key: Schema.String, value })`)
// whose values compile: every own key's value decoded, in the input's order.
// Symbol keys (which the Schema keeps as they are, first) are left to it; so
// are records of unknown values, which the raw elements pass through.
const record = (signature: AST.IndexSignature): Node | undefined => {
  if (signature.parameter._tag !== "StringKeyword") return undefined
  if (signature.type._tag === "UnknownKeyword" || signature.type._tag === "AnyKeyword") return undefined
  const value = compileNode(signature.type)
  if (value === undefined) return undefined
  return {
    run: (input) => {
      if (!Predicate.isRecord(input) || Object.getOwnPropertySymbols(input).length > 0) return failed
      const output: { [key: string]: unknown } = {}
      for (const key of Object.keys(input)) {
        if (key === "__proto__") return failed
        const decoded = value.run(input[key])
        if (decoded === failed) return failed
        output[key] = decoded
      }
      return output
    },
    scalar: false
  }
}

const hasOwn = Object.prototype.hasOwnProperty

// The keys of a JSON object that are not among `known`, with their values,
// in the input's order (what the Schema keeps of them, first).
const excessOf = (record: { readonly [key: string]: unknown }, known: ReadonlySet<string>) => {
  const output: { [key: string]: unknown } = {}
  for (const key in record) {
    if (!hasOwn.call(record, key)) continue
    // assigning `__proto__` would set the prototype: left to the Schema
    if (key === "__proto__") return failed
    if (!known.has(key)) output[key] = record[key]
  }
  return output
}

// The declared fields are decoded first, in their order; a JSON object whose
// keys are all declared (the common case: the fields asked for are the
// fields decoded) is then done, with no pass over its keys beyond counting
// them. Otherwise its other keys go first, as the Schema puts them.
const struct = (ast: AST.TypeLiteral): Node | undefined => {
  const only = ast.indexSignatures[0]
  if (only !== undefined && ast.indexSignatures.length === 1 && ast.propertySignatures.length === 0) return record(only)
  if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return undefined
  const fields: Array<Field> = []
  for (const signature of ast.propertySignatures) {
    const type = compileNode(signature.type)
    if (type === undefined || typeof signature.name !== "string" || signature.name === "__proto__") return undefined
    fields.push({ name: signature.name, optional: signature.isOptional, run: type.run })
  }
  const known = new Set<string>(fields.map((field) => field.name))
  return {
    run: (input) => {
      if (!Predicate.isRecord(input)) return failed
      const record = input as { readonly [key: string]: unknown }
      const declared: { [key: string]: unknown } = {}
      let present = 0
      for (const field of fields) {
        if (hasOwn.call(record, field.name)) present++
        else if (field.optional) continue
        const value = field.run(record[field.name])
        if (value === failed) return failed
        declared[field.name] = value
      }
      // every enumerable key, inherited ones too: as many as the declared
      // ones present only when there is no other
      let keys = 0
      for (const _ in record) keys++
      if (keys === present) return declared
      const output = excessOf(record, known)
      if (output === failed) return failed
      for (const field of fields) if (hasOwn.call(declared, field.name)) output[field.name] = declared[field.name]
      return output
    },
    scalar: false
  }
}

const array = (ast: AST.TupleType): Node | undefined => {
  const rest = ast.rest[0]
  if (ast.elements.length > 0 || ast.rest.length !== 1 || rest === undefined) return undefined
  const item = compileNode(rest.type)
  if (item === undefined) return undefined
  return {
    run: (input) => {
      if (!Array.isArray(input)) return failed
      const output: Array<unknown> = []
      for (const element of input) {
        const value = item.run(element)
        if (value === failed) return failed
        output.push(value)
      }
      return output
    },
    scalar: false
  }
}

const compileNode = (ast: AST.AST): Node | undefined => {
  // annotations that change how the Schema parses this node
  if (Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))) {
    return undefined
  }
  switch (ast._tag) {
    case "StringKeyword":
      return guard((input) => typeof input === "string")
    case "NumberKeyword":
      return guard((input) => typeof input === "number")
    case "BooleanKeyword":
      return guard((input) => typeof input === "boolean")
    case "UndefinedKeyword":
      return guard((input) => input === undefined)
    case "UnknownKeyword":
    case "AnyKeyword":
      return guard(() => true)
    case "Literal": {
      const literal = ast.literal
      return guard((input) => input === literal)
    }
    case "Refinement":
      return refinement(ast)
    case "Transformation":
      return isNumberFromString(ast) ? { run: decodeNumber, scalar: true } : undefined
    case "Union":
      return union(ast)
    case "TypeLiteral":
      return struct(ast)
    case "TupleType":
      return array(ast)
    default:
      return undefined
  }
}

const compiled = new WeakMap<AST.AST, Run | null>()

/**
 * The compiled decoder of `schema`, built once per schema, or `undefined`
 * when the schema has parts this module does not compile.
 */
export const compile = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> | undefined => {
  let run = compiled.get(schema.ast)
  if (run === undefined) {
    run = compileNode(schema.ast)?.run ?? null
    compiled.set(schema.ast, run)
  }
  if (run === null) return undefined
  // The walk over the AST can not carry `A` in its types: what `run` returns
  // is `A` because it mirrors the Schema node by node, which the property
  // tests hold it to (every accepted value equal to the Schema's).
  return run as Decoder<A>
}
