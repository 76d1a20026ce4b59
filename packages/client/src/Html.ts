/**
 * Escaping by context for server-rendered pages: HTML text, double-quoted
 * attribute values, and values inside an inline `<script>`. Every page the
 * toolkit serves (the simulator's marketplace shell, the provider app) puts
 * values into markup through these functions, so one module decides what a
 * hostile string (a customer name, a `?provider=` parameter) can do: nothing.
 *
 * @since 0.2.0
 */

const entity = (c: string) => `&#${c.charCodeAt(0)};`

/**
 * A value as HTML text (element content, e.g. `<p>${text(name)}</p>`):
 * `&`, `<`, `>` and both quotes become character references, so the value
 * can neither open a tag nor end the element. `null` and `undefined` become
 * the empty string.
 *
 * @example
 * ```ts
 * import { Html } from "@onoffice-effect/client"
 *
 * Html.text("<b>Müller & Söhne</b>") // "&#60;b&#62;Müller &#38; Söhne&#60;/b&#62;"
 * ```
 *
 * @since 0.2.0
 * @category escaping
 */
export const text = (value: unknown): string => String(value ?? "").replace(/[&<>"']/g, entity)

/**
 * A value inside a double-quoted attribute (`value="${attribute(v)}"`):
 * besides what {@link text} escapes, `` ` `` and `=` become references too,
 * so the value stays one attribute value even where a parser is lenient.
 * Only for quoted attributes; never for an event handler (`on…`), a
 * `style`, or a URL attribute whose scheme the caller does not control.
 *
 * @since 0.2.0
 * @category escaping
 */
export const attribute = (value: unknown): string => String(value ?? "").replace(/[&<>"'`=]/g, entity)

const scriptEscapes: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029"
}

/**
 * A value as a JavaScript expression inside an inline `<script>`: its JSON
 * with `<`, `>`, `&`, U+2028 and U+2029 written as `\u` escapes, so the
 * text can neither close the script element (`</script>`), open a comment
 * (`<!--`), nor end a line in older engines. The result is the literal
 * itself (quotes included); `undefined` becomes `null`.
 *
 * @example
 * ```ts
 * import { Html } from "@onoffice-effect/client"
 *
 * const script = `const provider = ${Html.script("</script><script>alert(1)</script>")}`
 * // const provider = "\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e"
 * ```
 *
 * @since 0.2.0
 * @category escaping
 */
export const script = (value: unknown): string =>
  (JSON.stringify(value) ?? "null").replace(/[<>&\u2028\u2029]/g, (c) => scriptEscapes[c] ?? c)
