/**
 * Detection of an API that responded and then stopped accepting connections, as one does when a
 * request crashes it. The requests that got a response or lost their connection just before are kept,
 * so the report can point at the likely cause, which the first refused request does not show.
 */
import type { Exchange } from "../execute/Exchange.js"

/** Requests kept from just before an outage, of each kind; about as many as are in flight by default. */
const keptRequests = 10

const keepLast = (list: Array<string>, line: string): void => {
  list.push(line)
  if (list.length > keptRequests) list.shift()
}

export class OutageWatch {
  readonly #answered: Array<string> = []
  readonly #dropped: Array<string> = []
  #answers = 0
  #note: string | undefined

  /** Records one exchange; after the first refused connection that follows a response, nothing changes. */
  record(exchange: Exchange): void {
    if (this.#note !== undefined) return
    const line = `${exchange.request.method} ${exchange.request.url}`
    if (exchange.response !== undefined) {
      this.#answers++
      keepLast(this.#answered, `${line} (${exchange.response.status})`)
    } else if (exchange.failure?.kind === "network") {
      keepLast(this.#dropped, line)
    } else if (exchange.failure?.kind === "connect" && this.#answers > 0) {
      const dropped =
        this.#dropped.length === 0 ? "" : `; requests whose connection closed: ${this.#dropped.join(", ")}`
      this.#note = `warning: the API stopped accepting connections after answering ${this.#answers} ${this.#answers === 1 ? "request" : "requests"}, so it may have crashed; the last requests it answered: ${this.#answered.join(", ")}${dropped}`
    }
  }

  /** Returns the warning about the outage, when there was one. */
  note(): string | undefined {
    return this.#note
  }
}
