/**
 * How the typed clients of the simulator's operator API reach it: its
 * address, and the operator token as a bearer token when the simulator
 * has one. Every group of it (`operator`, `crm`, `background`) is made
 * with these options.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Redacted from "effect/Redacted"

/** The `HttpApiClient.make` options for the operator API at `baseUrl`. */
export const options = (
  baseUrl: string,
  operatorToken?: Redacted.Redacted<string> | undefined
): {
  readonly baseUrl: string
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
} =>
  operatorToken === undefined
    ? { baseUrl }
    : { baseUrl, transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(Redacted.value(operatorToken))) }
