import { expect } from 'chai';
import { frameRecord, maskedCrc32c, splitRecords } from '../../src/tensorboard/record.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** Undoes TFRecord's mask, so the library CRC can be compared with published CRC-32C check values. */
const unmask = (masked: number) => {
  const rotated = (masked - 0xa282ead8) >>> 0;
  return ((rotated << 15) | (rotated >>> 17)) >>> 0;
};

describe('tensorboard/record: TFRecord framing', () => {
  it('computes CRC-32C (Castagnoli) check values under the mask', () => {
    expect(unmask(maskedCrc32c(ascii('123456789')))).to.equal(0xe3069283);
    expect(unmask(maskedCrc32c(new Uint8Array(32)))).to.equal(0x8a9136aa);
  });

  it('frames a payload byte for byte like the TensorBoard data server test record', () => {
    // tensorboard/data/server/masked_crc.rs golden payload; header CRC from docs/TENSORBOARD.md.
    const full = new Uint8Array([...hex('1a11'), ...ascii('CRC test, one two')]);
    expect(Buffer.from(frameRecord(full)).toString('hex')).to.equal(
      '1300000000000000' + '0c91321b' + Buffer.from(full).toString('hex') + '8ad09457');
  });

  it('splits back-to-back records into their payloads', () => {
    const payloads = [ascii('a'), new Uint8Array(0), ascii('third record')];
    const bytes = Buffer.concat(payloads.map(frameRecord));
    const split = splitRecords(bytes);
    expect(split.payloads.map((p) => Buffer.from(p).toString())).to.deep.equal(['a', '', 'third record']);
    expect(split.tornTailBytes).to.equal(0);
  });

  it('reports an incomplete last record at every cut instead of failing', () => {
    const first = frameRecord(ascii('complete'));
    const last = frameRecord(ascii('torn'));
    const bytes = Buffer.concat([first, last]);
    for (let cut = first.length; cut < bytes.length; cut++) {
      const split = splitRecords(bytes.subarray(0, cut));
      expect(split.payloads.map((p) => Buffer.from(p).toString()), `cut ${cut}`).to.deep.equal(['complete']);
      expect(split.tornTailBytes).to.equal(cut - first.length);
    }
  });

  it('throws on a flipped bit in a complete record, naming the offset and which CRC', () => {
    const first = frameRecord(ascii('ok'));
    const bytes = Buffer.concat([first, frameRecord(ascii('payload'))]);
    const payloadFlip = Buffer.from(bytes);
    payloadFlip[first.length + 12] ^= 0x01;
    expect(() => splitRecords(payloadFlip)).to.throw(`record at byte ${first.length}: payload CRC mismatch`);
    const lengthFlip = Buffer.from(bytes);
    lengthFlip[first.length] ^= 0x04;
    expect(() => splitRecords(lengthFlip)).to.throw(`record at byte ${first.length}: length CRC mismatch`);
  });
});
