import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file the system tests append their report lines to; the global setup prints it at the end. */
    systemReportFile: string;
  }
}

/**
 * Adds one section to the report printed after the system tests: what ran, what held and its figures.
 *
 * @example
 * report('load', ['10 listeners, 600 segments, p99 41 ms']);
 */
export function report(section: string, lines: readonly string[]): void {
  const text = [`${section}`, ...lines.map((line) => `  ${line}`)].join('\n');
  appendFileSync(inject('systemReportFile'), `${text}\n`);
}

/** Milliseconds as `1.2 s` or `340 ms`. */
export function duration(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
