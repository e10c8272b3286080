/** `ctmsr info`: version, TensorFlow.js version, backend (and why), adapter, model. */
import { describeBackend, selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { defaultModelLocation } from '../model/default-model.js';
import { loadNetwork } from '../model/model-source.js';
import { packageVersion } from '../version.js';
import { parseArgs, stringFlag, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { oneLine } from './load-model.js';
import { INFO_USAGE } from './usage.js';

const CMD = 'ctmsr info';

const SPEC = {
  backend: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `ctmsr info`; returns the exit code. */
export async function infoCommand(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SPEC, CMD);
  if (flags.help) {
    io.stdout(INFO_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`${CMD}: unexpected argument '${positionals[0]}'`);
  const info: Record<string, unknown> = {
    version: await packageVersion(),
    tfjs: tf.version_core,
    node: process.versions.node,
  };
  let code = 0;
  try {
    const selected = await selectBackend({ backend: stringFlag(flags, 'backend') });
    info.backend = { name: selected.name, reason: selected.reason, description: describeBackend(selected) };
    info.adapter = selected.adapter;
  } catch (err) {
    info.backend = { error: oneLine(err) };
    code = 2;
  }
  const modelPath = stringFlag(flags, 'model') ?? (await defaultModelLocation());
  if (modelPath == null) {
    info.model = { error: 'no default model installed (models/default/model.json); pass --model' };
  } else {
    try {
      const loaded = await loadNetwork(modelPath);
      const net = loaded.network;
      info.model = {
        name: loaded.name,
        location: loaded.location,
        parameters: net.parameterCount(),
        scale: net.config.scale,
        requiredMultiple: net.requiredMultiple(),
        config: net.config,
      };
      if (loaded.owned) net.dispose();
    } catch (err) {
      info.model = { error: oneLine(err) };
      code = 2;
    }
  }
  if (flags.json) {
    io.stdout(`${JSON.stringify(info)}\n`);
    return code;
  }
  const b = info.backend as { description?: string; error?: string };
  const m = info.model as { name?: string; location?: string; parameters?: number; error?: string };
  const a = info.adapter as {
    vendor?: string;
    device?: string;
    description?: string;
    isFallback?: boolean;
  } | null;
  io.stdout(
    [
      `ctmsr ${info.version} (TensorFlow.js ${info.tfjs}, Node ${info.node})`,
      `backend: ${b.description ?? `error: ${b.error}`}`,
      `adapter: ${a ? `${[a.vendor, a.device, a.description].filter(Boolean).join(' ')}${a.isFallback ? ' (software)' : ''}` : 'none'}`,
      `model:   ${m.error ? `error: ${m.error}` : `${m.name} (${m.location}), ${m.parameters} parameters`}`,
    ].join('\n') + '\n',
  );
  return code;
}
