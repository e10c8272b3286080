/**
 * The `ctmsr` command line: dispatches to the subcommands and turns usage errors into exit
 * code 2. Runs in-process (tests call `main(argv, io)`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadTrainCommand } from '../load-train.js';
import { packageVersion } from '../version.js';
import { UsageError } from './args.js';
import { benchCommand } from './bench-command.js';
import { evalCommand } from './eval-command.js';
import { infoCommand } from './info-command.js';
import { type CliIO, processIO } from './io.js';
import { oneLine } from './load-model.js';
import { upscaleCommand } from './upscale-command.js';
import { MAIN_USAGE } from './usage.js';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  upscale: upscaleCommand,
  eval: evalCommand,
  bench: benchCommand,
  info: infoCommand,
  train: trainCommand,
};

async function trainCommand(argv: string[], io: CliIO): Promise<number> {
  const run = await loadTrainCommand();
  if (!run) {
    io.stderr('ctmsr train: not available yet in this build\n');
    return 2;
  }
  return run(argv);
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 some inputs failed, 2 usage or setup error, 130 interrupted.
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  // Quiet tfjs's "install tfjs-node" banner; results are unaffected.
  tf.env().set('PROD', true);
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`ctmsr: unknown command '${command}'\n\n${MAIN_USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\nRun 'ctmsr ${command} --help' for usage.\n`);
      return 2;
    }
    io.stderr(`ctmsr ${command}: ${oneLine(err)}\n`);
    return 1;
  }
}
