// Reading event files back, for tests and tools: CRC-checked records, decoded Events, and the
// summaries in them as plain values.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Bucket } from './histogram-buckets.js';
import { splitRecords } from './record.js';
import { DataType, decodeEvent, type EventMessage, type TensorMessage } from './schema.js';

export type TensorBoardEvent = EventMessage;

/**
 * Reads every complete record of an event file, checking both CRCs of each. A torn last record
 * (a writer still writing, or killed mid-write) is left out, as TensorBoard leaves it out; a
 * corrupt complete record throws, naming the file and offset.
 */
export function readEventFile(path: string): TensorBoardEvent[] {
  let payloads: Uint8Array[];
  try {
    payloads = splitRecords(readFileSync(path)).payloads;
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return payloads.map(decodeEvent);
}

/** The event files directly in `dir` (the files of one TensorBoard run), in name order. */
export function findEventFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => basename(name).includes('tfevents'))
    .sort()
    .map((name) => join(dir, name));
}

interface ReadingBase { tag: string; step: number; wallTime: number }
export type SummaryReading =
  | ReadingBase & { kind: 'scalars'; value: number }
  | ReadingBase & { kind: 'histograms'; buckets: Bucket[] }
  | ReadingBase & { kind: 'images'; width: number; height: number; png: Uint8Array }
  | ReadingBase & { kind: 'text'; text: string };

/**
 * The scalar, histogram, image and text summaries in `events`, in order. Reads this writer's tensor
 * forms and the legacy `simple_value` scalars that tfjs-node writes; a tag's plugin comes from the
 * metadata on its first value, as in TensorBoard.
 */
export function decodeSummaries(events: TensorBoardEvent[]): SummaryReading[] {
  const plugins = new Map<string, string>();
  const readings: SummaryReading[] = [];
  for (const event of events) {
    for (const value of event.summary?.value ?? []) {
      const base = { tag: value.tag, step: event.step, wallTime: event.wallTime };
      if (value.metadata?.pluginData?.pluginName && !plugins.has(value.tag)) {
        plugins.set(value.tag, value.metadata.pluginData.pluginName);
      }
      if (value.tensor) {
        readings.push(decodeTensor(base, plugins.get(value.tag), value.tensor));
      } else if (value.simpleValue !== undefined) {
        readings.push({ ...base, kind: 'scalars', value: value.simpleValue });
      } else {
        throw new Error(`tag ${value.tag} at step ${base.step}: unsupported summary value`);
      }
    }
  }
  return readings;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeTensor(base: ReadingBase, plugin: string | undefined, tensor: TensorMessage): SummaryReading {
  switch (plugin) {
    case 'scalars':
      return { ...base, kind: 'scalars', value: tensorNumbers(tensor)[0] };
    case 'histograms': {
      const flat = tensorNumbers(tensor);
      const buckets: Bucket[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) buckets.push([flat[i], flat[i + 1], flat[i + 2]]);
      return { ...base, kind: 'histograms', buckets };
    }
    case 'images': {
      const [width, height, png] = tensor.stringVal ?? [];
      return { ...base, kind: 'images', width: Number(utf8.decode(width)), height: Number(utf8.decode(height)), png };
    }
    case 'text':
      return { ...base, kind: 'text', text: utf8.decode((tensor.stringVal ?? [])[0]) };
    default:
      throw new Error(`tag ${base.tag} at step ${base.step}: unsupported plugin ${String(plugin)}`);
  }
}

function tensorNumbers(tensor: TensorMessage): number[] {
  const content = tensor.tensorContent;
  if (content && content.length > 0) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const float = tensor.dtype === DataType.DT_FLOAT;
    if (!float && tensor.dtype !== DataType.DT_DOUBLE) throw new Error(`unsupported tensor dtype ${tensor.dtype}`);
    const size = float ? 4 : 8;
    return Array.from({ length: content.length / size },
      (_, i) => (float ? view.getFloat32(i * size, true) : view.getFloat64(i * size, true)));
  }
  return tensor.floatVal?.length ? tensor.floatVal : tensor.doubleVal ?? [];
}
