#!/usr/bin/env node
// `sparsity-gap` command line: each subcommand lives in its own module and registers itself here.
import { Command } from 'commander';
import { register as registerSweep } from './sweep.js';
import { register as registerFit } from './fit.js';
import { register as registerEstimate } from './estimate.js';

const program = new Command('sparsity-gap')
  .description('Estimate the generalization gap of TensorFlow.js CNNs from unit sparsity (Zhao & Zhang).');
registerSweep(program);
registerFit(program);
registerEstimate(program);
await program.parseAsync(process.argv);
