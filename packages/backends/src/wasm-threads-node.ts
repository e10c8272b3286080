/**
 * Multi-threaded (pthreads + SIMD) `@tensorflow/tfjs-backend-wasm` in Node.js.
 *
 * tfjs-backend-wasm 4.22 ships a threaded XNNPACK build, but in Node it never uses it, for
 * four reasons, each worked around here only for the duration of `tf.setBackend('wasm')`:
 *
 * 1. The `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false whenever `IS_NODE` (tfjs issue 3830).
 *    We set the flag to true after checking the real requirements ourselves (shared
 *    `WebAssembly.Memory`, `Atomics`, `worker_threads`).
 * 2. Emscripten's `locateFile` hook in tfjs returns the pthread worker script as a `blob:` URL
 *    (`URL.createObjectURL`), and Node's `new Worker()` refuses it (`ERR_WORKER_PATH`). While the
 *    backend initialises, `URL.createObjectURL` answers a JavaScript blob with a `data:` URL
 *    object instead (Node accepts `data:` URLs for workers, as ES modules). That small module
 *    loads the package's own pthread glue (`wasm-out/...-threaded-simd.worker.js`).
 * 3. The worker is told to `importScripts` a Blob holding `wasmFactory.toString()` of the
 *    bundled Node build, which refers to bundle-scope variables (`require$$0`, ...) that do not
 *    exist in a worker. Our worker module replaces `importScripts` with a `require` of the
 *    package's self-contained emscripten factory (`wasm-out/...-threaded-simd.js`, built for
 *    the same `.wasm`; the binaries are byte-identical).
 * 4. The C++ side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *    hyper-threads per core), which is `os.cpus().length / 2` in Node: 1 on a 2-core machine.
 *    During initialisation `os.cpus()` reports twice the requested thread count.
 *
 * The pthread workers are `unref`ed afterwards, so they never keep the process alive. Any
 * failure falls back to single-threaded wasm with a logged reason.
 * No files under node_modules are modified and no temporary files are written.
 */
import * as tf from '@tensorflow/tfjs-core';
import { importOptional, isNode } from './environment.js';

/**
 * Whether `selectBackend` / {@link enableWasmThreadsInNode} use threads when nothing says
 * otherwise: off (opt-in). Measured on the 2-core machine (docs/benchmarks.md): ~1-4 s more
 * backend init per process, no gain on a conv2d, ~40% more CPU per training step, and the default
 * model's 64x64 upscale 2x slower (385 vs 193 ms) when another process uses a core.
 */
export const DEFAULT_WASM_THREADS = false;
/** Environment variable: `1` (`true`, `on`) turns threads on, `0` (`false`, `off`) off. */
export const WASM_THREADS_ENV = 'CTMSR_WASM_THREADS';
/** How long the threaded module may take to start its workers before we give up. */
export const DEFAULT_WASM_THREADS_INIT_TIMEOUT_MS = 60_000;
/** XNNPACK's pool in tfjs-backend-wasm never uses more than 8 threads (8 pre-spawned workers). */
export const MAX_WASM_THREADS = 8;

export interface WasmThreadsOptions {
  /** Use threads (default {@link DEFAULT_WASM_THREADS}; `CTMSR_WASM_THREADS=0` turns them off). */
  enabled?: boolean;
  /** Pool size, 2 to 8. Default: the machine's logical cores (capped at 8). */
  threads?: number;
  /** Fall back to single-threaded wasm when the threaded init takes longer. */
  initTimeoutMs?: number;
}

export interface WasmThreadsStatus {
  /** Whether the wasm backend is initialised and active. */
  ok: boolean;
  /** Threads XNNPACK actually uses (`getThreadsCount()` of tfjs-backend-wasm); 0 when !ok. */
  threads: number;
  /** Why threads are or are not used. */
  reason: string;
}

interface WasmPackage {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

interface PThreadPool {
  runningWorkers: Array<{ unref?: () => void }>;
  unusedWorkers: Array<{ unref?: () => void }>;
}

const THREADED_FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const THREADED_WORKER_GLUE =
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';

function logicalCores(os: typeof import('node:os')): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * Returns why threaded wasm cannot or should not be used here, or null when it can.
 * Pure checks only: it initialises nothing.
 */
export function wasmThreadsBlocker(options: WasmThreadsOptions = {}, cores = 0): string | null {
  if (!isNode()) return 'not Node (in browsers tfjs enables threads itself when cross-origin isolated)';
  const env = process.env[WASM_THREADS_ENV]?.trim();
  const envOff = env != null && /^(0|false|off|no)$/i.test(env);
  const envOn = env != null && /^(1|true|on|yes)$/i.test(env);
  if (options.enabled === false) return 'threads disabled by option';
  if (envOff) return `threads disabled (${WASM_THREADS_ENV}=${env})`;
  if (!(options.enabled ?? (envOn || DEFAULT_WASM_THREADS))) {
    return `threads off by default (enable with ${WASM_THREADS_ENV}=1 or wasmThreads: true)`;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (!(major >= 18)) return `Node ${process.versions.node} is too old (need >= 18 for data: URL workers)`;
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return 'SharedArrayBuffer / Atomics are not available';
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return 'WebAssembly threads (shared memory) are not supported';
  }
  const threads = options.threads ?? cores;
  if (!Number.isInteger(threads) || threads < 2) {
    return `only ${threads} thread(s) requested/available: nothing to gain`;
  }
  return null;
}

/** The ES-module source of one pthread worker (see point 2 and 3 of the file comment). */
function workerModuleSource(glue: string, gluePath: string, factoryPath: string): string {
  const j = JSON.stringify;
  return [
    "import { createRequire } from 'node:module';",
    `const require = createRequire(${j(gluePath)});`,
    'const fail = (e) => {',
    "  process.stderr.write('ctmsr wasm pthread worker failed to start: ' + (e && e.stack || e) + '\\n');",
    '  process.exit(1);',
    '};',
    'try {',
    `  new Function('require', '__filename', ${j(glue)})(require, ${j(gluePath)});`,
    `  const factory = require(${j(factoryPath)});`,
    '  globalThis.importScripts = () => { globalThis.WasmBackendModuleThreadedSimd = factory; };',
    '  const handle = globalThis.onmessage;',
    '  globalThis.onmessage = (e) => {',
    "    if (!e || !e.data || e.data.cmd !== 'load') return handle(e);",
    '    try { return handle(e); } catch (err) { fail(err); }',
    '  };',
    '} catch (err) { fail(err); }',
  ].join('\n');
}

/** True once a wasm backend instance exists (the engine never re-creates it). */
function wasmInitialised(): boolean {
  return (tf.engine().registry as Record<string, unknown>).wasm != null;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Initialises the threaded module with the Node shims installed; throws on any failure. */
async function initThreaded(wasmPkg: WasmPackage, threads: number, timeoutMs: number): Promise<number> {
  const { createRequire } = await import('node:module');
  const os = (await import('node:os')).default;
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve(THREADED_WORKER_GLUE);
  const factoryPath = require.resolve(THREADED_FACTORY);
  const glueText = (require(gluePath) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  if (typeof glueText !== 'string') {
    throw new Error(`${THREADED_WORKER_GLUE} does not export wasmWorkerContents (tfjs layout changed?)`);
  }
  // The glue sits in a template literal, so its "\n" escapes became real newlines (tfjs undoes
  // this the same way before making its blob).
  const glue = glueText.replaceAll('\n', '\\n');
  new Function('require', '__filename', glue); // syntax check here, not in a worker
  const source = workerModuleSource(glue, gluePath, factoryPath);
  const workerUrl = new URL(`data:text/javascript,${encodeURIComponent(source)}`);

  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = ((obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript'
      ? (workerUrl as unknown as string)
      : createObjectURL.call(URL, obj)) as typeof URL.createObjectURL;
  os.cpus = () => {
    const real = cpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmPkg.setThreadsCount(threads);
  try {
    if (!(await withTimeout(tf.setBackend('wasm'), timeoutMs, 'threaded wasm init'))) {
      throw new Error('tf.setBackend("wasm") returned false for the threaded module');
    }
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  const pool = (tf.backend() as unknown as { wasm?: { PThread?: PThreadPool } }).wasm?.PThread;
  if (pool == null) throw new Error('the initialised wasm module has no pthread pool');
  for (const w of [...pool.runningWorkers, ...pool.unusedWorkers]) w.unref?.();
  return wasmPkg.getThreadsCount();
}

async function initSingle(wasmPkg: WasmPackage, reason: string): Promise<WasmThreadsStatus> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasmPkg.setThreadsCount(1);
  const ok = await tf.setBackend('wasm');
  return { ok, threads: ok ? wasmPkg.getThreadsCount() : 0, reason };
}

/**
 * Initialises and activates the tfjs `wasm` backend in Node with XNNPACK's thread pool
 * (pthreads + SIMD build), falling back to the single-threaded SIMD build when threads are not
 * possible (see {@link wasmThreadsBlocker}) or the threaded init fails (the reason is logged).
 * Call it instead of `tf.setBackend('wasm')`, before anything else initialises wasm.
 *
 * Speed: XNNPACK splits each conv/matmul over the pool; expect up to ~threads x on idle cores,
 * less when other processes compete for them.
 *
 * **Deviations:** relies on tfjs-backend-wasm 4.22 internals (file names in `wasm-out/`, the
 * emscripten pthread protocol); a layout change makes it fall back, not fail.
 */
export async function enableWasmThreadsInNode(options: WasmThreadsOptions = {}): Promise<WasmThreadsStatus> {
  const wasmPkg = await importOptional<WasmPackage>('@tensorflow/tfjs-backend-wasm');
  if (wasmPkg == null)
    return { ok: false, threads: 0, reason: '@tensorflow/tfjs-backend-wasm is not installed' };
  if (options.threads != null && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new Error(
      `enableWasmThreadsInNode: options.threads must be an integer >= 1, got ${options.threads}`,
    );
  }
  if (wasmInitialised()) {
    // tfjs reads the threads flag once, at the first init: reuse whatever was built then.
    const ok = await tf.setBackend('wasm');
    const threads = ok ? wasmPkg.getThreadsCount() : 0;
    const reason =
      threads > 1 ? `pthreads + SIMD, ${threads} threads` : 'wasm was initialised single-threaded earlier';
    return { ok, threads, reason };
  }
  const cores = isNode() ? logicalCores((await import('node:os')).default) : 1;
  const blocker = wasmThreadsBlocker(options, Math.min(cores, MAX_WASM_THREADS));
  if (blocker != null) return initSingle(wasmPkg, blocker);
  const threads = Math.min(options.threads ?? cores, MAX_WASM_THREADS);
  try {
    const got = await initThreaded(
      wasmPkg,
      threads,
      options.initTimeoutMs ?? DEFAULT_WASM_THREADS_INIT_TIMEOUT_MS,
    );
    return { ok: true, threads: got, reason: `pthreads + SIMD, ${got} threads` };
  } catch (err) {
    const why = `threaded wasm failed (${(err as Error)?.message ?? err}); using single-threaded wasm`;
    console.warn(`enableWasmThreadsInNode: ${why}`);
    if (wasmInitialised()) {
      // The module did initialise (only a later check failed): keep it, report what it uses.
      const ok = await tf.setBackend('wasm');
      return { ok, threads: ok ? wasmPkg.getThreadsCount() : 0, reason: why };
    }
    return initSingle(wasmPkg, why);
  }
}
