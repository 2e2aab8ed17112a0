// PRELIMINARY: replaced by the subcommand's implementation.
import type { Command } from 'commander';

export function register(_program: Command): void {}
