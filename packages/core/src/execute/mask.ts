/**
 * Masking of secret values in recorded requests, so that a record can go into events and reports.
 */
import type { RecordedRequest } from "./Exchange.js"
import { encodeStrict } from "./style.js"

/** The text that stands for a masked secret. */
export const mask = "***"

/** Replaces every occurrence of each secret, raw or percent-encoded, with `***`. */
export const maskSecrets = (text: string, secrets: ReadonlyArray<string>): string => {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret === "") continue
    forms.add(secret)
    forms.add(encodeStrict(secret))
    forms.add(encodeURIComponent(secret))
  }
  // Longer forms go first, so a secret that contains another is masked whole.
  let masked = text
  for (const form of [...forms].sort((a, b) => b.length - a.length)) masked = masked.replaceAll(form, mask)
  return masked
}

/** Masks secrets in a recorded request's URL, header values, body and multipart part texts. */
export const maskRequest = (request: RecordedRequest, secrets: ReadonlyArray<string>): RecordedRequest => {
  if (secrets.length === 0) return request
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name] = maskSecrets(value, secrets)
  return {
    ...request,
    url: maskSecrets(request.url, secrets),
    headers,
    ...(request.body === undefined ? {} : { body: maskSecrets(request.body, secrets) }),
    ...(request.parts === undefined
      ? {}
      : {
          parts: request.parts.map((part) =>
            part.text === undefined ? part : { ...part, text: maskSecrets(part.text, secrets) }
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
  let changed = false
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    const masked = maskSecrets(value, secrets)
    if (masked !== value) changed = true
    headers[name] = masked
  }
  const body = maskSecrets(response.body, secrets)
  return changed || body !== response.body ? { ...response, headers, body } : response
}
