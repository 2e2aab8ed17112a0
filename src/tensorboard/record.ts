// TFRecord framing, the container format of event files:
//   uint64 LE length | uint32 LE masked CRC32C(length bytes) | payload | uint32 LE masked CRC32C(payload)
import CRC32C from 'crc-32/crc32c.js';

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;
const MASK_DELTA = 0xa282ead8;

/** TFRecord's masked CRC: CRC-32C rotated right by 15 bits plus a constant, so that a CRC stored
 *  inside data that is itself CRC'd does not produce trivial checksums. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = CRC32C.buf(bytes) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

export function frameRecord(payload: Uint8Array): Uint8Array {
  const record = new Uint8Array(HEADER_BYTES + payload.length + FOOTER_BYTES);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(payload, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + payload.length, maskedCrc32c(payload), true);
  return record;
}

export interface SplitRecords {
  payloads: Uint8Array[];
  /** Bytes after the last complete record: a record still being written, or torn by a crash. */
  tornTailBytes: number;
}

/** Splits a TFRecord byte stream into payloads, checking both CRCs of every complete record.
 *  An incomplete last record is reported, not an error, as TensorBoard's readers treat it. */
export function splitRecords(bytes: Uint8Array): SplitRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloads: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES) break;
    const lengthCrc = view.getUint32(offset + 8, true);
    if (maskedCrc32c(bytes.subarray(offset, offset + 8)) !== lengthCrc) {
      throw new Error(`corrupt record at byte ${offset}: length CRC mismatch`);
    }
    const length = Number(view.getBigUint64(offset, true));
    const end = offset + HEADER_BYTES + length + FOOTER_BYTES;
    if (end > bytes.length) break;
    const payload = bytes.subarray(offset + HEADER_BYTES, end - FOOTER_BYTES);
    if (maskedCrc32c(payload) !== view.getUint32(end - FOOTER_BYTES, true)) {
      throw new Error(`corrupt record at byte ${offset}: payload CRC mismatch`);
    }
    payloads.push(payload);
    offset = end;
  }
  return { payloads, tornTailBytes: bytes.length - offset };
}
