/**
 * Detection of an API that responded and then stopped accepting connections, as one does when a
 * request crashes it. The requests that got a response or lost their connection just before are kept,
 * so the report can point at the likely cause, which the first refused request does not show.
 */
import type { Exchange } from "../execute/Exchange.js"

/** Requests kept from just before an outage, of each kind; about as many as are in flight by default. */
const keptRequests = 10

/**
 * The last `keptRequests` exchanges of one kind, in a fixed ring: this runs for every step, so it keeps
 * references and builds no text until an outage is found.
 */
class Recent {
  readonly #ring: Array<Exchange | undefined> = new Array(keptRequests).fill(undefined)
  #next = 0
  #count = 0

  add(exchange: Exchange): void {
    this.#ring[this.#next] = exchange
    this.#next = (this.#next + 1) % keptRequests
    this.#count = Math.min(this.#count + 1, keptRequests)
  }

  /** Lists the kept exchanges, oldest first. */
  list(): ReadonlyArray<Exchange> {
    const out: Array<Exchange> = []
    for (let index = 0; index < this.#count; index++) {
      const exchange = this.#ring[(this.#next - this.#count + index + keptRequests) % keptRequests]
      if (exchange !== undefined) out.push(exchange)
    }
    return out
  }
}

const lineOf = (exchange: Exchange): string => {
  const line = `${exchange.request.method} ${exchange.request.url}`
  return exchange.response === undefined ? line : `${line} (${exchange.response.status})`
}

export class OutageWatch {
  readonly #answered = new Recent()
  readonly #dropped = new Recent()
  #answers = 0
  #note: string | undefined

  /** Records one exchange; after the first refused connection that follows a response, nothing changes. */
  record(exchange: Exchange): void {
    if (this.#note !== undefined) return
    if (exchange.response !== undefined) {
      this.#answers++
      this.#answered.add(exchange)
    } else if (exchange.failure?.kind === "network") {
      this.#dropped.add(exchange)
    } else if (exchange.failure?.kind === "connect" && this.#answers > 0) {
      const dropped = this.#dropped.list()
      const droppedText =
        dropped.length === 0 ? "" : `; requests whose connection closed: ${dropped.map(lineOf).join(", ")}`
      this.#note = `warning: the API stopped accepting connections after answering ${this.#answers} ${this.#answers === 1 ? "request" : "requests"}, so it may have crashed; the last requests it answered: ${this.#answered.list().map(lineOf).join(", ")}${droppedText}`
    }
  }

  /** Returns the warning about the outage, when there was one. */
  note(): string | undefined {
    return this.#note
  }
}
