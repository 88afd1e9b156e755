import { Data } from "effect"

/** A command line that cannot be run as given; the message says what to change. Exit code 2. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}
