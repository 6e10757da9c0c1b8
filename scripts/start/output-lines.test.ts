import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLinePrinter, RecentLines } from './output-lines.ts';

describe('RecentLines', () => {
  it('keeps only the last lines up to its limit, oldest first', () => {
    const sut = new RecentLines(3);

    for (const line of ['a', 'b', 'c', 'd', 'e']) sut.push(line);

    expect(sut.lines()).toEqual(['c', 'd', 'e']);
  });

  it('hands out a copy that later lines do not change', () => {
    const sut = new RecentLines(2);
    sut.push('a');
    const before = sut.lines();

    sut.push('b');

    expect(before).toEqual(['a']);
  });
});

describe('createLinePrinter', () => {
  function printed(color: boolean, run: (print: (source: string, line: string) => void) => void): string {
    let text = '';
    const sut = createLinePrinter(['tonearm', 'edge', 'identity'], { color, write: (chunk) => (text += chunk) });
    run((source, line) => sut.print(source, line));
    return text;
  }

  it('puts every line behind its source, names padded to one width', () => {
    const text = printed(false, (print) => {
      print('edge', 'listening');
      print('identity', 'ready');
    });

    expect(text).toBe('edge     | listening\nidentity | ready\n');
  });

  it('colours the names, a different colour per source, when asked', () => {
    const text = printed(true, (print) => {
      print('edge', 'x');
      print('identity', 'y');
    });
    const [edge, identity] = text.split('\n');

    expect(edge).not.toBe('edge     | x');
    expect(stripVTControlCharacters(edge!)).toBe('edge     | x');
    expect(stripVTControlCharacters(identity!)).toBe('identity | y');
    expect(edge!.slice(0, 5)).not.toBe(identity!.slice(0, 5));
  });

  it('prints a source it was not told about without failing', () => {
    expect(printed(false, (print) => print('build', 'done'))).toBe('build    | done\n');
  });
});
