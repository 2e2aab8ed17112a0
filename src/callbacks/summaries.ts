// What the monitor writes to TensorBoard. The event file is created on the first write (a fit that
// never completes an epoch leaves no empty run behind) and closed at the end of training.
// Steps count completed epochs (epoch index + 1), as tfjs-node's TensorBoard callback does.
import { createSummaryWriter, type SummaryWriter } from '../tensorboard/index.js';
import type { ProbeRecord } from './record.js';

export const TAGS = {
  zeta: 'sparsity/zeta',
  kappa: 'sparsity/kappa',
  predictedGap: 'sparsity/predicted_gap',
  observedGap: 'sparsity/observed_gap',
  zetaPerClass: 'sparsity/zeta_per_class',
  kappaPerClass: 'sparsity/kappa_per_class',
  curves: 'sparsity/ablation_curves',
  config: 'sparsity/config',
  earlyStop: 'sparsity/early_stop',
  probeError: 'sparsity/probe_error',
} as const;

/** Tag of an epoch-log metric (`loss` → `epoch_loss`, as Keras and tfjs-node name them). */
export const metricTag = (key: string) => `epoch_${key}`;

export class MonitorSummaries {
  private writer: Promise<SummaryWriter> | undefined;

  /** `configText` is written once, with the first event. */
  constructor(private readonly logdir: string, private readonly configText: () => string) {}

  private open(step: number): Promise<SummaryWriter> {
    this.writer ??= createSummaryWriter(this.logdir).then((writer) => {
      writer.text(TAGS.config, this.configText(), step);
      return writer;
    });
    return this.writer;
  }

  async epoch(epoch: number, metrics: Record<string, number>, observedGap: number | null): Promise<void> {
    const writer = await this.open(epoch + 1);
    for (const [key, value] of Object.entries(metrics)) writer.scalar(metricTag(key), value, epoch + 1);
    if (observedGap !== null) writer.scalar(TAGS.observedGap, observedGap, epoch + 1);
  }

  async probe(record: ProbeRecord): Promise<void> {
    const step = record.epoch + 1;
    const writer = await this.open(step);
    writer.scalar(TAGS.zeta, record.zeta, step);
    writer.scalar(TAGS.kappa, record.kappa, step);
    if (record.predictedGap !== null) writer.scalar(TAGS.predictedGap, record.predictedGap, step);
    writer.histogram(TAGS.zetaPerClass, record.perClass.map((c) => c.zeta), step);
    writer.histogram(TAGS.kappaPerClass, record.perClass.map((c) => c.kappa), step);
    // Loaded on first use: the plotting stack (vega, resvg) is only needed when images are written.
    const { renderAblationCurvesPng } = await import('../plots/index.js');
    const image = await renderAblationCurvesPng(record.perClass, {
      chance: record.chance, title: `Cumulative ablation after epoch ${step}`,
    });
    writer.image(TAGS.curves, image.png, step, { width: image.width, height: image.height });
  }

  async text(tag: string, markdown: string, epoch: number): Promise<void> {
    (await this.open(epoch + 1)).text(tag, markdown, epoch + 1);
  }

  async flush(): Promise<void> {
    if (this.writer) await (await this.writer).flush();
  }

  async close(): Promise<void> {
    if (!this.writer) return;
    const writer = this.writer;
    this.writer = undefined;
    await (await writer).close();
  }
}
