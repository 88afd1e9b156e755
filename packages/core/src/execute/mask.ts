/**
 * Masking of secret values in recorded requests, so that a record can go into events and reports.
 */
import type { RecordedRequest } from "./Exchange.js"
import { encodeStrict } from "./style.js"

/** The text that stands for a masked secret. */
export const mask = "***"

/**
 * Returns a function that replaces every occurrence of each secret, raw or percent-encoded, with
 * `***`. The forms of the secrets are worked out once, for all the texts of one exchange.
 */
export const makeMasker = (secrets: ReadonlyArray<string>): ((text: string) => string) => {
  const unique = new Set<string>()
  for (const secret of secrets) {
    if (secret === "") continue
    unique.add(secret)
    unique.add(encodeStrict(secret))
    unique.add(encodeURIComponent(secret))
  }
  // Longer forms go first, so a secret that contains another is masked whole.
  const forms = [...unique].sort((a, b) => b.length - a.length)
  return (text) => {
    let masked = text
    for (const form of forms) masked = masked.replaceAll(form, mask)
    return masked
  }
}

/** Replaces every occurrence of each secret, raw or percent-encoded, with `***`. */
export const maskSecrets = (text: string, secrets: ReadonlyArray<string>): string => makeMasker(secrets)(text)

/** Masks secrets in a recorded request's URL, header values, body and multipart part texts. */
export const maskRequest = (request: RecordedRequest, secrets: ReadonlyArray<string>): RecordedRequest => {
  if (secrets.length === 0) return request
  const maskText = makeMasker(secrets)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name] = maskText(value)
  return {
    ...request,
    url: maskText(request.url),
    headers,
    ...(request.body === undefined ? {} : { body: maskText(request.body) }),
    ...(request.parts === undefined
      ? {}
      : {
          parts: request.parts.map((part) =>
            part.text === undefined ? part : { ...part, text: maskText(part.text) }
          )
        })
  }
}

/**
 * Masks secrets in response header values and a response body, for an API that echoes a credential
 * back. Text without any secret is returned as it is.
 */
export const maskResponseText = <
  T extends { readonly headers: Record<string, string>; readonly body: string }
>(
  response: T,
  secrets: ReadonlyArray<string>
): T => {
  if (secrets.length === 0) return response
  const maskText = makeMasker(secrets)
  let changed = false
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    const masked = maskText(value)
    if (masked !== value) changed = true
    headers[name] = masked
  }
  const body = maskText(response.body)
  return changed || body !== response.body ? { ...response, headers, body } : response
}
