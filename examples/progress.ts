// Training progress for the examples: a cli-progress bar per run on a terminal, one line per epoch
// otherwise (CI logs, pipes), and a logger for the monitor that prints above the bars.
import { CustomCallback } from '@tensorflow/tfjs-layers';
import cliProgress from 'cli-progress';
import type { MonitorLogger } from '../src/index.js';

export interface EpochStatus {
  loss?: number;
  acc?: number;
  val_acc?: number;
  sparsity_zeta?: number;
  predicted_gap?: number;
}

const show = (v: number | undefined, digits = 3) => (v === undefined ? '  -  ' : v.toFixed(digits));

export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private readonly bars = this.tty
    ? new cliProgress.MultiBar({
      // Fits an 80-column terminal: acc and val are the epoch's training and held-out accuracy.
      format: '{run} |{bar}| {epoch}/{epochs} | acc {acc} val {val_acc} | ζ {zeta} ĝ {gap}',
      hideCursor: true, barsize: 16,
    }, cliProgress.Presets.shades_classic)
    : null;

  /** Where the monitor's lines go: above the bars on a terminal. */
  readonly logger: MonitorLogger = {
    log: (line) => this.print(line),
    warn: (line) => this.print(line),
  };

  private print(line: string): void {
    if (this.bars) this.bars.log(`${line}\n`);
    else console.log(line);
  }

  /** A callback that advances a bar for one run of `epochs` epochs of `batches` batches. */
  run(name: string, epochs: number, batches: number): CustomCallback {
    const started = performance.now();
    const payload = { run: name.padEnd(11), epoch: 0, epochs, loss: show(undefined), acc: show(undefined), val_acc: show(undefined), zeta: show(undefined), gap: show(undefined) };
    const bar = this.bars?.create(epochs * batches, 0, payload);
    return new CustomCallback({
      onBatchEnd: async () => { bar?.increment(); },
      onEpochEnd: async (epoch, logs) => {
        const l = (logs ?? {}) as EpochStatus;
        Object.assign(payload, {
          epoch: epoch + 1, loss: show(l.loss), acc: show(l.acc), val_acc: show(l.val_acc),
          ...(l.sparsity_zeta === undefined ? {} : { zeta: show(l.sparsity_zeta), gap: show(l.predicted_gap) }),
        });
        if (bar) bar.update((epoch + 1) * batches, payload);
        else {
          const seconds = ((performance.now() - started) / 1000).toFixed(0);
          console.log(`${name} epoch ${epoch + 1}/${epochs}: loss ${payload.loss} acc ${payload.acc} val_acc ${payload.val_acc} (${seconds} s)`);
        }
      },
      onTrainEnd: async () => { bar?.stop(); },
    });
  }

  stop(): void {
    this.bars?.stop();
  }
}
