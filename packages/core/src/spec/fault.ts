/**
 * A broken part of a document, raised while normalizing one operation or one component and turned
 * into an error-level `SpecProblem` by the code that normalizes that operation.
 */
export class DocumentFault extends Error {
  constructor(
    readonly code: string,
    readonly pointer: string,
    message: string
  ) {
    super(message)
  }
}
