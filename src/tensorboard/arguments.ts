// Checks on what callers pass to the summary writer. Each throws synchronously, naming the argument
// and showing the value, so a mistake surfaces at the call site rather than in TensorBoard.
import { inspect } from 'node:util';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function show(value: unknown): string {
  return inspect(value, { depth: 0, maxArrayLength: 4, maxStringLength: 40, breakLength: Infinity });
}

export function checkTag(tag: unknown): asserts tag is string {
  if (typeof tag !== 'string' || tag.length === 0) {
    throw new TypeError(`tag must be a non-empty string, got ${show(tag)}`);
  }
}

export function checkStep(step: unknown): asserts step is number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new TypeError(`step must be a non-negative integer, got ${show(step)}`);
  }
}

export function checkScalarValue(value: unknown): asserts value is number {
  // NaN and ±Infinity are deliberately accepted: TensorBoard plots them, and a diverging metric is
  // exactly what the user needs to see.
  if (typeof value !== 'number') {
    throw new TypeError(`value must be a number, got ${show(value)}`);
  }
}

export function checkHistogramValues(values: unknown): asserts values is ArrayLike<number> {
  const arrayLike = Array.isArray(values) || values instanceof Float32Array || values instanceof Float64Array;
  if (!arrayLike) {
    throw new TypeError(`values must be a number[], Float32Array or Float64Array, got ${show(values)}`);
  }
  if (values.length === 0) throw new RangeError('values must hold at least one number, got an empty array');
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`values[${i}] must be a finite number, got ${show(v)}`);
    }
  }
}

export function checkPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer, got ${show(value)}`);
  }
}

/** A PNG whose header (IHDR) agrees with the stated size, so the dashboard shows what was meant. */
export function checkPng(png: unknown, width: number, height: number): asserts png is Uint8Array {
  if (!(png instanceof Uint8Array)) throw new TypeError(`png must be a Uint8Array, got ${show(png)}`);
  const isPng = png.length >= 24 && PNG_SIGNATURE.every((byte, i) => png[i] === byte);
  if (!isPng) throw new TypeError(`png must be PNG-encoded bytes (signature 89 50 4E 47 …), got ${show(png)}`);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const actual = { width: view.getUint32(16), height: view.getUint32(20) };
  if (actual.width !== width || actual.height !== height) {
    throw new RangeError(
      `png is ${actual.width}×${actual.height} but { width: ${width}, height: ${height} } was given`);
  }
}

export function checkText(markdown: unknown): asserts markdown is string {
  if (typeof markdown !== 'string') throw new TypeError(`markdown must be a string, got ${show(markdown)}`);
}
