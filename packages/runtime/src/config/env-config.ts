import { z } from 'zod';

/** Raised when environment variables fail validation; the message names every bad variable. */
export class ConfigError extends Error {
  readonly variables: string[];

  constructor(problems: { variable: string; reason: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n')}`);
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

/**
 * Reads and validates the environment once. Every variable that fails is reported at once,
 * by name, without echoing its value (it may be a secret).
 *
 * @example
 * const env = loadEnv({ OPS_PORT: z.coerce.number().int().default(9102) });
 */
export function loadEnv<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const present = Object.fromEntries(
    Object.keys(shape).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])),
  );
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), reason: issue.message })),
  );
}

/** A TCP port from the environment; 0 asks the system for any free port. */
export const portVariable = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

/** A URL from the environment with the given protocols. */
export const urlVariable = (protocols: string[], fallback?: string) => {
  const url = z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol.replace(/:$/, '')), {
      message: `must be a ${protocols.join(' or ')} URL`,
    });
  return fallback === undefined ? url : url.default(fallback);
};

/** A boolean from the environment: true, false, 1, 0, yes, no. */
export const booleanVariable = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes'].includes(value));
