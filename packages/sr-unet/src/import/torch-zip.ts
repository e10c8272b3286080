/**
 * Reader of `torch.save` files (the zip format of PyTorch >= 1.6): a zip archive whose
 * `<name>/data.pkl` is a pickle in which every tensor is
 *
 *   torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks)
 *
 * and every storage is a persistent id ('storage', torch.<Type>Storage, key, location, numel)
 * whose bytes are the stored entry `<name>/data/<key>` (little-endian). Pure: works on a
 * Uint8Array in Node and browsers; the tensors are views into the archive's bytes.
 *
 * Not supported (clear errors): the legacy pre-1.6 format, TorchScript archives, compressed
 * entries, big-endian archives.
 */
import { PickleGlobal, unpickle } from './pickle.js';
import { DTYPE_SIZE, type StateDict, type StateDictTensor, type TensorDType } from './state-dict.js';
import { listZipEntries, looksLikeZip, zipEntryData } from './zip.js';

const FN = 'parseTorchSave';

const STORAGE_DTYPES: Readonly<Record<string, TensorDType>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

interface TorchStorage {
  dtype: TensorDType;
  bytes: Uint8Array;
}

const tensors = new WeakSet<object>();

/** Whether `v` is a tensor produced by `parseTorchSave`/`parseSafetensors` readers. */
export function isStateDictTensor(v: unknown): v is StateDictTensor {
  return typeof v === 'object' && v !== null && tensors.has(v);
}

/** Marks a tensor object as produced by a reader (used by the safetensors path too). */
export function markTensor(t: StateDictTensor): StateDictTensor {
  tensors.add(t);
  return t;
}

function asInts(fn: string, what: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new Error(`${fn}: ${what} must be a tuple of ints, got ${String(v)}`);
  }
  return v as number[];
}

/**
 * Unpickles a `torch.save` archive. Tensors become `StateDictTensor`s, dicts Maps (see pickle.ts
 * for the other types).
 */
export function parseTorchSave(bytes: Uint8Array): unknown {
  if (!looksLikeZip(bytes)) {
    if (bytes[0] === 0x80 && bytes[1] === 0x02) {
      throw new Error(
        `${FN}: legacy torch.save format (torch < 1.6 or _use_new_zipfile_serialization=False); re-save it with torch >= 1.6 or as safetensors`,
      );
    }
    throw new Error(`${FN}: not a torch.save zip archive (no 'PK' signature)`);
  }
  const entries = listZipEntries(bytes);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const pkl = entries.find((e) => /(^|\/)data\.pkl$/.test(e.name));
  if (!pkl) {
    const ts = entries.some((e) => /(^|\/)constants\.pkl$/.test(e.name));
    throw new Error(
      `${FN}: no data.pkl in the archive${ts ? ' (a TorchScript archive, not a state dict)' : ''}`,
    );
  }
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const order = byName.get(`${prefix}byteorder`);
  if (order && new TextDecoder().decode(zipEntryData(bytes, order)).trim() !== 'little') {
    throw new Error(`${FN}: big-endian archives are not supported`);
  }
  const storages = new Map<string, TorchStorage>();

  const persistentLoad = (pid: unknown): TorchStorage => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) {
      throw new Error(`${FN}: unexpected persistent id ${String(pid)}`);
    }
    const [, cls, key, , count] = pid as [string, unknown, unknown, unknown, unknown];
    const typeName = cls instanceof PickleGlobal ? cls.name : String(cls);
    const dtype = STORAGE_DTYPES[typeName];
    if (!dtype) throw new Error(`${FN}: unsupported storage type '${typeName}' (storage '${String(key)}')`);
    const cached = storages.get(String(key));
    if (cached) return cached;
    const entry = byName.get(`${prefix}data/${String(key)}`);
    if (!entry) throw new Error(`${FN}: storage '${String(key)}' (${prefix}data/${String(key)}) is missing`);
    const data = zipEntryData(bytes, entry);
    if (typeof count === 'number' && data.byteLength < count * DTYPE_SIZE[dtype]) {
      throw new Error(
        `${FN}: storage '${String(key)}' has ${data.byteLength} bytes, expected ${count} ${dtype} elements`,
      );
    }
    const s = { dtype, bytes: data };
    storages.set(String(key), s);
    return s;
  };

  const construct = (cls: PickleGlobal, args: unknown[]): unknown => {
    switch (cls.qualifiedName) {
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor': {
        const s = args[0] as TorchStorage;
        if (!s || !(s.bytes instanceof Uint8Array)) throw new Error(`${FN}: tensor without a storage`);
        const offset = args[1];
        if (typeof offset !== 'number') throw new Error(`${FN}: storage_offset must be an int`);
        return markTensor({
          dtype: s.dtype,
          shape: [...asInts(FN, 'size', args[2])],
          strides: [...asInts(FN, 'stride', args[3])],
          offset,
          storage: s.bytes,
        });
      }
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state':
        return args[0];
      default:
        return undefined;
    }
  };

  return unpickle(zipEntryData(bytes, pkl), { construct, persistentLoad });
}

/** Default keys under which checkpoints nest their state dict (BasicSR first, EMA preferred). */
export const DEFAULT_STATE_DICT_KEYS: readonly string[] = ['params_ema', 'params', 'state_dict', 'model'];

function tensorsOf(v: unknown): StateDict | null {
  if (!(v instanceof Map)) return null;
  const out: StateDict = {};
  let any = false;
  for (const [k, t] of v) {
    if (typeof k === 'string' && isStateDictTensor(t)) {
      out[k] = t;
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * The state dict inside an unpickled checkpoint: the object itself when it is a dict of tensors,
 * else its entry `key` (or the first of DEFAULT_STATE_DICT_KEYS present). Non-tensor values are
 * dropped.
 */
export function extractStateDict(checkpoint: unknown, key?: string): StateDict {
  const fn = 'extractStateDict';
  if (!(checkpoint instanceof Map)) throw new Error(`${fn}: the checkpoint is not a dict`);
  const keys = [...checkpoint.keys()].map(String);
  if (key !== undefined) {
    const sd = tensorsOf(checkpoint.get(key));
    if (!sd)
      throw new Error(`${fn}: no dict of tensors under key '${key}'; top-level keys: ${keys.join(', ')}`);
    return sd;
  }
  const direct = tensorsOf(checkpoint);
  if (direct) return direct;
  for (const k of DEFAULT_STATE_DICT_KEYS) {
    const sd = tensorsOf(checkpoint.get(k));
    if (sd) return sd;
  }
  throw new Error(
    `${fn}: no state dict found (looked for a dict of tensors or the keys ${DEFAULT_STATE_DICT_KEYS.join(', ')}); top-level keys: ${keys.join(', ')}`,
  );
}
