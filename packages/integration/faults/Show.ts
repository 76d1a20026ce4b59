/**
 * How the fault suite turns what it captured (log lines, spans, errors) into
 * the text an exporter or a log shipper would send, and how it searches that
 * text for secrets.
 */

/**
 * A value as a log shipper or an exporter would write it: `String(u)` and
 * `JSON.stringify(u)` (through every `toJSON`, bigints as strings).
 */
export const show = (u: unknown): string => {
  let json: string
  try {
    json = JSON.stringify(u, (_, v) => (typeof v === "bigint" ? String(v) : v)) ?? ""
  } catch {
    json = ""
  }
  let text: string
  try {
    text = String(u)
  } catch {
    text = ""
  }
  return `${text} ${json}`
}

/**
 * The secrets found in `texts`: each named once, with how many texts hold it.
 * Long-lived secrets (tokens, API secrets, claims) are searched as
 * substrings; HMACs, one per action, as the base64 words of their length.
 */
export const findSecrets = (
  texts: ReadonlyArray<string>,
  secrets: ReadonlyArray<string>,
  hmacs: ReadonlySet<string>
): Map<string, number> => {
  const found = new Map<string, number>()
  const count = (secret: string) => found.set(secret, (found.get(secret) ?? 0) + 1)
  const words = /[A-Za-z0-9+/]{43}=/g
  for (const text of texts) {
    for (const secret of secrets) if (secret.length >= 8 && text.includes(secret)) count(secret)
    for (const word of text.match(words) ?? []) if (hmacs.has(word)) count(word)
  }
  return found
}
