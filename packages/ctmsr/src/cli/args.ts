/**
 * A small strict argument parser for the CLI: `--name value`, `--name=value`, boolean flags,
 * short aliases (`-o`), positionals, and `--` to end options. Unknown flags are usage errors
 * that name the flag.
 */

/** A usage error: the CLI prints it with the command's usage and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `argv` against `spec` (see file doc). */
export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, command: string): ParsedArgs {
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (!(name in spec)) throw new UsageError(`${command}: unknown option '--${name}'`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      name = byShort.get(arg.slice(1));
      if (name === undefined) throw new UsageError(`${command}: unknown option '${arg}'`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (s.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${command}: option '--${name}' takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`${command}: option '--${name}' needs a value`);
    }
    if (flags[name] !== undefined) throw new UsageError(`${command}: option '--${name}' given twice`);
    flags[name] = value;
  }
  return { flags, positionals };
}

/** An integer flag in [min, max], or `fallback` when absent; usage error otherwise. */
export function intFlag(
  command: string,
  flags: ParsedArgs['flags'],
  name: string,
  min: number,
  fallback?: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^-?\d+$/.test(v) || n < min || n > max) {
    throw new UsageError(
      `${command}: option '--${name}' must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '...' : max}], got '${v}'`,
    );
  }
  return n;
}

/** A finite number flag > `above`, or `fallback` when absent. */
export function numberFlag(
  command: string,
  flags: ParsedArgs['flags'],
  name: string,
  above: number,
  fallback?: number,
): number | undefined {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= above) {
    throw new UsageError(`${command}: option '--${name}' must be a number > ${above}, got '${v}'`);
  }
  return n;
}

/** A string flag restricted to `choices`. */
export function choiceFlag<T extends string>(
  command: string,
  flags: ParsedArgs['flags'],
  name: string,
  choices: readonly T[],
): T | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new UsageError(
      `${command}: option '--${name}' must be one of ${choices.join(', ')}, got '${String(v)}'`,
    );
  }
  return v as T;
}

/** A string flag (undefined when absent). */
export function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}
