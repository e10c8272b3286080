/**
 * A minimal, safe unpickler (Python pickle protocols 2-5, the opcodes of CPython's
 * Lib/pickletools.py) for the `data.pkl` of `torch.save` archives. It never runs code: globals
 * become `PickleGlobal` markers, and REDUCE / NEWOBJ of a global calls `hooks.construct`, which
 * decides what (if anything) the call means; everything else becomes an inert `PickleInstance`.
 *
 * Mapping: None -> null, bool -> boolean, int -> number (bigint beyond 2^53), float -> number,
 * str -> string, bytes -> Uint8Array, list and tuple -> array, dict and OrderedDict -> Map,
 * set -> Set.
 */

/** A `module.name` global referenced by the pickle (a class or function, never resolved). */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An object the unpickler could not interpret: the global, its arguments and BUILD state. */
export class PickleInstance {
  state: unknown = undefined;
  constructor(
    readonly cls: PickleGlobal,
    readonly args: unknown[],
  ) {}
}

export interface UnpickleHooks {
  /** Interprets `cls(*args)` (REDUCE, NEWOBJ); return undefined for a generic PickleInstance. */
  construct?: (cls: PickleGlobal, args: unknown[]) => unknown;
  /** Resolves a persistent id (BINPERSID); required when the pickle has any. */
  persistentLoad?: (pid: unknown) => unknown;
}

const FN = 'unpickle';

function defaultConstruct(cls: PickleGlobal, args: unknown[]): unknown {
  if (cls.qualifiedName === 'collections.OrderedDict' || cls.qualifiedName === 'builtins.dict') {
    const m = new Map<unknown, unknown>();
    const items = args[0];
    if (Array.isArray(items)) for (const kv of items) if (Array.isArray(kv)) m.set(kv[0], kv[1]);
    return m;
  }
  if (/^(builtins|__builtin__)\.(set|frozenset)$/.test(cls.qualifiedName)) {
    return new Set(Array.isArray(args[0]) ? args[0] : []);
  }
  if (cls.qualifiedName === '_codecs.encode' && typeof args[0] === 'string' && args[1] === 'latin1') {
    // Protocol 2 pickles bytes as _codecs.encode(str, 'latin1').
    return Uint8Array.from(args[0], (c) => c.charCodeAt(0));
  }
  return undefined;
}

function toNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Little-endian two's-complement integer of `b` (LONG1 / LONG4). */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return toNumber(v);
}

/** Unpickles `bytes`; throws naming the opcode and position on anything unsupported or malformed. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks = {}): unknown {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail = (msg: string): never => {
    throw new Error(`${FN}: ${msg} (at byte ${pos} of ${bytes.byteLength})`);
  };
  const need = (n: number) => {
    if (pos + n > bytes.byteLength) fail(`truncated data: need ${n} more bytes`);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const u8 = () => take(1)[0];
  const u32 = () => {
    need(4);
    pos += 4;
    return dv.getUint32(pos - 4, true);
  };
  const u64 = () => {
    need(8);
    pos += 8;
    const v = dv.getBigUint64(pos - 8, true);
    if (v > BigInt(bytes.byteLength)) fail(`length ${v} exceeds the data`);
    return Number(v);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('unterminated text line');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) fail('MARK expected');
    stack = prev as unknown[];
    return items;
  };
  const construct = (cls: unknown, args: unknown): unknown => {
    if (!(cls instanceof PickleGlobal)) fail('REDUCE/NEWOBJ of something that is not a global');
    const g = cls as PickleGlobal;
    const list = Array.isArray(args) ? args : [];
    const r = hooks.construct?.(g, list) ?? defaultConstruct(g, list);
    return r === undefined ? new PickleInstance(g, list) : r;
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2)
      (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof Set) for (const it of items) target.add(it);
    else fail('APPEND(S) on something that is not a list');
  };
  const str = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail('invalid UTF-8 in a string');
    }
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol');
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        pos += 4;
        stack.push(dv.getInt32(pos - 4, true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        need(2);
        pos += 2;
        stack.push(dv.getUint16(pos - 2, true));
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(take(u32())));
        break;
      case 0x49: {
        // INT (text): "01"/"00" are True/False in protocol 0
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : toNumber(BigInt(s)));
        break;
      }
      case 0x4c: // LONG (text)
        stack.push(toNumber(BigInt(line().replace(/L$/, ''))));
        break;
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        pos += 8;
        stack.push(dv.getFloat64(pos - 8, false));
        break;
      case 0x46: // FLOAT (text)
        stack.push(Number.parseFloat(line()));
        break;
      case 0x58: // BINUNICODE
        stack.push(str(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(str(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(str(take(u64())));
        break;
      case 0x54: // BINSTRING (py2 str, latin-1)
        stack.push(latin1.decode(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
      case 0x6c: {
        // LIST (popMark first: it replaces `stack`)
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const m = new Map();
        setItems(m, popMark());
        stack.push(m);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x91: {
        // FROZENSET
        const items = popMark();
        stack.push(new Set(items));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(new PickleGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(new PickleGlobal(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(construct(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        stack.push(construct(pop(), args));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX (kwargs ignored)
        pop();
        const args = pop();
        stack.push(construct(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: obj.__setstate__(state); Maps (OrderedDict._metadata) keep no state here
        const state = pop();
        const obj = top();
        if (obj instanceof PickleInstance) obj.state = state;
        break;
      }
      case 0x51: // BINPERSID
      case 0x50: {
        // PERSID
        const pid = op === 0x51 ? pop() : line();
        if (!hooks.persistentLoad) fail('persistent id without a persistentLoad hook');
        stack.push(hooks.persistentLoad?.(pid));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(k)) fail(`memo key ${k} not found`);
        stack.push(memo.get(k));
        break;
      }
      default:
        pos = at;
        fail(`unsupported opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}')`);
    }
  }
}
