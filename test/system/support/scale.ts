/** How big the system tests run: `TONEARM_SYSTEM_SCALE=full` for the figures, else (CI) small. */
export interface SystemScale {
  name: 'ci' | 'full';
  /** Listeners playing at once during the load test. */
  listeners: number;
  /** Tracks ingested (through the CLI) while they play. */
  ingests: number;
  /** Tracks ready before the listeners start, each listener on a different one where there are enough. */
  catalogTracks: number;
  /** How long a backing service stays down in the fault tests. */
  outageMs: number;
}

const full: SystemScale = { name: 'full', listeners: 50, ingests: 20, catalogTracks: 25, outageMs: 10_000 };
const ci: SystemScale = { name: 'ci', listeners: 10, ingests: 4, catalogTracks: 5, outageMs: 5_000 };

/** The scale of this run. */
export const scale: SystemScale = process.env.TONEARM_SYSTEM_SCALE === 'full' ? full : ci;
