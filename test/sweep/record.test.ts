import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendRecord, dropTornLine, readRecords, type RunRecord } from '../../src/sweep/record.js';

const record = (id: string) => ({ id, config: { corruption: 0 }, gap: 0.1 }) as unknown as RunRecord;

describe('sweep record file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sgm-records-'));

  it('reads nothing from a missing file', () => {
    expect(readRecords(join(dir, 'none.jsonl'))).to.deep.equal({ records: [], tornBytes: 0 });
  });

  it('appends one newline-terminated JSON line per record', () => {
    const path = join(dir, 'lines.jsonl');
    appendRecord(path, record('a'));
    appendRecord(path, record('b'));
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).to.equal(true);
    expect(text.split('\n').slice(0, -1).map((l) => JSON.parse(l).id)).to.deep.equal(['a', 'b']);
    expect(readRecords(path).records.map((r) => r.id)).to.deep.equal(['a', 'b']);
  });

  it('ignores a torn last line and drops it before the next append', () => {
    const path = join(dir, 'torn.jsonl');
    const torn = JSON.stringify(record('c')).slice(0, 17);
    writeFileSync(path, `${JSON.stringify(record('a'))}\n${torn}`);
    const read = readRecords(path);
    expect(read.records.map((r) => r.id)).to.deep.equal(['a']);
    expect(read.tornBytes).to.equal(17);
    dropTornLine(path, read);
    appendRecord(path, record('b'));
    expect(readRecords(path)).to.deep.include({ tornBytes: 0 });
    expect(readRecords(path).records.map((r) => r.id)).to.deep.equal(['a', 'b']);
  });

  it('refuses a complete line that is not a run record, naming the line', () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify(record('a'))}\n{"id": 3}\n`);
    expect(() => readRecords(path)).to.throw(`${path}:2 is not a sweep run record`);
    writeFileSync(path, `${JSON.stringify(record('a'))}\nnot json\n`);
    expect(() => readRecords(path)).to.throw(`${path}:2 is not a JSON line`);
  });
});
