// Child process for the two-process test: writes `count` scalars tagged `process` with value `id`.
import { createSummaryWriter } from '../../src/tensorboard/index.js';

const [logdir, id, count] = process.argv.slice(2);
const writer = await createSummaryWriter(logdir, { maxQueue: 4 });
for (let step = 0; step < Number(count); step++) writer.scalar('process', Number(id), step);
await writer.close();
