/**
 * The exit codes of every `vrsky` command. Scripts can rely on them: they only ever grow.
 */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The command ran and something failed: a test, a required check, a build. */
  Failure: 1,
  /** The input is wrong: a flag, an argument, a config or spec file. Fix it and re-run. */
  InvalidInput: 2,
  /** A service (NATS, Postgres, S3) could not be reached or started; `vrsky doctor` says why. */
  ServiceUnavailable: 3,
  /** Not logged in to the platform, or it refused the API key: run `vrsky login`. */
  NotLoggedIn: 4,
} as const;
/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
