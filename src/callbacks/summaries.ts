// What the monitor writes to TensorBoard. The event file is created on the first write (a fit that
// never completes an epoch leaves no empty run behind) and closed at the end of training. The curves
// image of a probe is written when its rendering (in a child process) is done.
// Steps count completed epochs (epoch index + 1), as tfjs-node's TensorBoard callback does.
import { createSummaryWriter, type SummaryWriter } from '../tensorboard/index.js';
import { CurvesRenderer } from './curves-renderer.js';
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
  private readonly renderer = new CurvesRenderer();
  /** Images being rendered beside training; close() waits for them. */
  private readonly images = new Set<Promise<void>>();

  /**
   * `configText` is written once, with the first event; `onImageError` hears of an image that could
   * not be made (the numbers are written all the same).
   */
  constructor(
    private readonly logdir: string,
    private readonly configText: () => string,
    private readonly onImageError: (error: Error) => void,
  ) {}

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
    const classes = record.perClass.map(({ classIndex, curve, reverseCurve, n0, n0r }) => ({ classIndex, curve, reverseCurve, n0, n0r }));
    const image = this.renderer.render(classes, { chance: record.chance, title: `Cumulative ablation after epoch ${step}` })
      .then((png) => writer.image(TAGS.curves, png.png, step, { width: png.width, height: png.height }))
      .catch((error: Error) => this.onImageError(error))
      .finally(() => this.images.delete(image));
    this.images.add(image);
  }

  async text(tag: string, markdown: string, epoch: number): Promise<void> {
    (await this.open(epoch + 1)).text(tag, markdown, epoch + 1);
  }

  /** Waits for the images under way, then closes the renderer and the event file. */
  async close(): Promise<void> {
    await Promise.all(this.images);
    this.renderer.close();
    if (!this.writer) return;
    const writer = this.writer;
    this.writer = undefined;
    await (await writer).close();
  }
}
