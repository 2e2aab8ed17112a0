// The reference-run files are JSON lines appended one whole line at a time, so a file being written
// (or cut by a crash) may end in an unfinished line: readers take the complete lines and report the rest.
import { readFileSync } from 'node:fs';

export interface JsonLines {
  /** Parsed complete, non-blank lines with their 1-based line numbers. */
  entries: { line: number; value: unknown }[];
  /** Bytes of an incomplete last line (no newline), 0 when the file ends cleanly. */
  tornBytes: number;
}

/** Complete lines of a JSON-lines file; a complete line that is not JSON is an error naming `path:line`. */
export function readJsonLines(path: string): JsonLines {
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const entries = text.slice(0, end).split('\n').slice(0, -1).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [{ line: i + 1, value: JSON.parse(line) as unknown }];
    } catch (err) {
      throw new Error(`${path}:${i + 1} is not a JSON line (${(err as Error).message})`);
    }
  });
  return { entries, tornBytes: Buffer.byteLength(text.slice(end)) };
}
