/** The fault schedule of the local model server: which fault applies to the next request. */
import { type Fault, type FaultName, faultNames } from "./types.js"

/** Turns a fault name into a fault that applies to every request. */
export const toFault = (fault: Fault | FaultName): Fault =>
  typeof fault === "string" ? { name: fault } : fault

/** Parses an `x-qawave-fault` header value; `undefined` when the name is unknown. */
export const parseFaultName = (value: string): FaultName | undefined =>
  faultNames.find((name) => name === value.trim().toLowerCase())

/** Holds the current fault and how many more requests it applies to. */
export class FaultSchedule {
  private fault: Fault | undefined
  /** Requests left before the fault ends; `undefined` means every request. */
  private remaining: number | undefined

  constructor(fault: Fault | FaultName | undefined) {
    this.set(fault)
  }

  /** Replaces the current fault; `undefined` clears it. */
  set(fault: Fault | FaultName | undefined): void {
    this.fault = fault === undefined ? undefined : toFault(fault)
    this.remaining = this.fault?.times
  }

  /**
   * Returns the current fault when `applies` accepts its name, and counts the request against `times`.
   * A fault that does not apply to a request (such as `reject_json_schema` for a request without a
   * JSON schema) is not used up by it.
   */
  take(applies: (name: FaultName) => boolean): Fault | undefined {
    const fault = this.fault
    if (fault === undefined || !applies(fault.name)) return undefined
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return undefined
      this.remaining -= 1
      if (this.remaining === 0) this.set(undefined)
    }
    return fault
  }
}
