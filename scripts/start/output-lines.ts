import { styleText } from 'node:util';

/**
 * The last lines a process wrote, to show when it fails.
 *
 * @example
 * const recent = new RecentLines(20);
 * recent.push('listening');
 * recent.lines(); // ['listening']
 */
export class RecentLines {
  readonly limit: number;
  #lines: string[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.splice(0, this.#lines.length - this.limit);
  }

  lines(): string[] {
    return [...this.#lines];
  }
}

const colors = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red', 'white'] as const;

/** Writes lines from several sources to one stream, each behind its source's name. */
export interface LinePrinter {
  print(source: string, line: string): void;
}

/**
 * A printer that pads every source name to the same width and colours it (one colour per
 * source) when `color` is true, e.g. on a terminal.
 *
 * @example
 * const printer = createLinePrinter(['identity', 'edge'], { color: process.stdout.isTTY, write: (text) => process.stdout.write(text) });
 * printer.print('edge', 'listening on 8080'); // 'edge     | listening on 8080\n'
 */
export function createLinePrinter(
  sources: readonly string[],
  options: { color: boolean; write: (text: string) => void },
): LinePrinter {
  const width = Math.max(...sources.map((source) => source.length));
  const prefixes = new Map(
    sources.map((source, index) => {
      const label = `${source.padEnd(width)} |`;
      return [
        source,
        options.color ? styleText([colors[index % colors.length]!, 'bold'], label, { validateStream: false }) : label,
      ];
    }),
  );
  return {
    print(source, line) {
      const prefix = prefixes.get(source) ?? `${source.padEnd(width)} |`;
      options.write(`${prefix} ${line}\n`);
    },
  };
}
