/** Exit codes of the `qawave` command, stable for scripts and CI. */
export const ExitCode = {
  /** The run passed, or the spec has at least one usable operation. */
  ok: 0,
  /** The run found problems in the API. */
  findings: 1,
  /** The command line, the configuration or the spec cannot be used. */
  usage: 2,
  /** QAWave itself failed unexpectedly. */
  internal: 3,
  /** The run was cancelled with Ctrl-C; the reports hold what ran until then. */
  interrupted: 130,
  /** The run was stopped with SIGTERM, as CI systems cancel a job; the reports hold what ran until then. */
  terminated: 143
} as const
