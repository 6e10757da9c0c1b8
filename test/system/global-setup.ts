import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { scale } from './support/scale.ts';

/**
 * Global setup of the `system` project: a report file the test files append to, printed once
 * every file has run, with the scale it ran at and the wall time.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'tonearm-system-report-'));
  const file = join(dir, 'report.txt');
  writeFileSync(file, '');
  project.provide('systemReportFile', file);
  const started = Date.now();
  return () => {
    const body = readFileSync(file, 'utf8');
    const header = `Tonearm system tests (${scale.name} scale: ${scale.listeners} listeners, ${scale.ingests} ingests, outages of ${scale.outageMs / 1_000} s${scale.name === 'full' ? '' : '; full scale: 50 listeners, 20 ingests, outages of 10 s'}) in ${((Date.now() - started) / 1_000).toFixed(0)} s`;
    process.stdout.write(
      `\n${'='.repeat(header.length)}\n${header}\n${'='.repeat(header.length)}\n${body || '(no section ran)\n'}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  };
}
