export {
  createSummaryWriter, type HistogramOptions, type ImageOptions, type SummaryWriter, type SummaryWriterOptions,
} from './writer.js';
export { decodeSummaries, findEventFiles, readEventFile, type SummaryReading, type TensorBoardEvent } from './reader.js';
export type { Bucket } from './histogram-buckets.js';
