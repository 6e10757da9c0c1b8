import { readFile } from 'node:fs/promises';

/** Jiffies of all cores from the `cpu` line of /proc/stat: busy and total. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * Reads the aggregate `cpu` line of /proc/stat text; iowait and idle count as not busy.
 *
 * @example
 * parseCpuTimes('cpu  10 0 5 80 5 0 0 0 0 0\n') // { busy: 15, total: 100 }
 */
export function parseCpuTimes(procStat: string): CpuTimes {
  const line = procStat.split('\n').find((row) => row.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** Share of the machine's cores busy between two readings, in percent. */
export function busyPercent(from: CpuTimes, to: CpuTimes): number {
  const total = to.total - from.total;
  return total > 0 ? ((to.busy - from.busy) / total) * 100 : 0;
}

/** Samples /proc/stat every `intervalMs` until stopped: the mean and the samples' busy share. */
export function sampleCpu(intervalMs = 1000): { stop(): Promise<{ meanPercent: number; samples: number[] }> } {
  const read = async () => parseCpuTimes(await readFile('/proc/stat', 'utf8'));
  const first = read();
  const samples: number[] = [];
  let last = first;
  const timer = setInterval(() => {
    const previous = last;
    last = read();
    void Promise.all([previous, last]).then(([a, b]) => samples.push(busyPercent(a, b)));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      const end = await read();
      return { meanPercent: busyPercent(await first, end), samples };
    },
  };
}
