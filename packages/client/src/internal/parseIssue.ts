/**
 * Our own one-line summary of a decode failure. The platform's formatters
 * print the value that failed, recursively: a hostile answer (thousands of
 * nested arrays, a huge string) would overflow the stack or flood the
 * message. This walks the issue tree without recursion and names only the
 * kind of value that arrived, never the value itself.
 *
 * @internal
 */
import type * as ParseResult from "effect/ParseResult"

const maxKeyLength = 40
const maxExpectedLength = 120

type Leaf = ParseResult.Type | ParseResult.Missing | ParseResult.Unexpected | ParseResult.Forbidden

/** What kind of value `u` is, without showing it (it may be huge or deep). */
export const kindOf = (u: unknown): string => {
  if (u === null) return "null"
  if (Array.isArray(u)) return "an array"
  switch (typeof u) {
    case "string":
      return `a string (${u.length} characters)`
    case "number":
    case "boolean":
      return `${typeof u} ${String(u)}`
    case "object":
      return "an object"
    case "undefined":
      return "undefined"
    default:
      return typeof u
  }
}

const cut = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text)

const showKey = (key: PropertyKey): string =>
  typeof key === "symbol" ? `[${String(key.description ?? "symbol")}]` : `[${JSON.stringify(cut(String(key), maxKeyLength))}]`

const describeLeaf = (leaf: Leaf): string => {
  switch (leaf._tag) {
    case "Missing":
      return "is missing"
    case "Unexpected":
      return "is unexpected"
    case "Forbidden":
      return "cannot be decoded here"
    case "Type":
      return `expected ${cut(String(leaf.ast), maxExpectedLength)}, got ${kindOf(leaf.actual)}`
  }
}

/**
 * The leaves of an issue tree in order, each with its path, at most `limit`
 * of them, and how many there are in all. Iterative: a deep tree (from a
 * recursive schema and deep data) cannot overflow the stack.
 */
const leaves = (
  root: ParseResult.ParseIssue,
  limit: number
): { readonly first: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly leaf: Leaf }>; readonly count: number } => {
  const first: Array<{ readonly path: ReadonlyArray<PropertyKey>; readonly leaf: Leaf }> = []
  let count = 0
  const stack: Array<{ readonly issue: ParseResult.ParseIssue; readonly path: ReadonlyArray<PropertyKey> }> = [
    { issue: root, path: [] }
  ]
  while (stack.length > 0) {
    const { issue, path } = stack.pop()!
    switch (issue._tag) {
      case "Pointer":
        stack.push({ issue: issue.issue, path: path.concat(issue.path) })
        break
      case "Refinement":
      case "Transformation":
        stack.push({ issue: issue.issue, path })
        break
      case "Composite": {
        const children = Array.isArray(issue.issues) ? issue.issues : [issue.issues]
        for (let i = children.length - 1; i >= 0; i--) stack.push({ issue: children[i]!, path })
        break
      }
      default:
        count++
        if (first.length < limit) first.push({ path, leaf: issue })
    }
  }
  return { first, count }
}

/**
 * Our own one-line summary of the first decode issue: its path, what was
 * expected and what kind of value arrived, plus how many more issues there
 * are. Never throws, whatever the failed value.
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const { count, first } = leaves(error.issue, 1)
  const head = first[0]
  if (head === undefined) return "unexpected shape"
  const path = head.path.length === 0 ? "body" : head.path.map(showKey).join("")
  const more = count > 1 ? ` (+${count - 1} more)` : ""
  return `${path}: ${describeLeaf(head.leaf)}${more}`
}
