import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PickleInstance, unpickle } from './pickle.js';
import { readPytorchStateDict } from './read-state-dict.js';
import { parseSafetensors } from './safetensors.js';
import { type StateDictTensor, tensorToFloat32, tensorToNumbers } from './state-dict.js';
import { extractStateDict, isStateDictTensor, parseTorchSave } from './torch-zip.js';
import { listZipEntries, zipEntryData } from './zip.js';

// Fixtures from test/golden/gen_parity.py (make_reader_cases).
function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url)));
}
interface Expected {
  tensors: Record<string, { shape: number[]; values: number[]; dtype: string }>;
}
const expected = JSON.parse(new TextDecoder().decode(fixture('reader-cases.json'))) as Expected;

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

function checkTensor(name: string, t: StateDictTensor): void {
  const e = expected.tensors[name];
  expect(t.shape, name).toEqual(e.shape);
  expect(Array.from(tensorToNumbers(t, name)), name).toEqual(e.values);
}

describe('torch.save zip reader', () => {
  const ckpt = parseTorchSave(fixture('reader-cases.pth')) as Map<string, unknown>;

  it('reads every dtype, strided and offset views, scalars and empty tensors', () => {
    const sd = extractStateDict(ckpt);
    expect(Object.keys(sd)).toEqual(Object.keys(expected.tensors));
    for (const [name, t] of Object.entries(sd)) checkTensor(name, t);
    expect(sd.transposed.strides).toEqual([1, 6]);
    expect(sd.slice_b.offset).toBe(5);
    expect(sd.slice_a.storage).toBe(sd.slice_b.storage); // one storage, shared
    expect(Array.from(tensorToFloat32(sd.bf16))).toEqual(expected.tensors.bf16.values);
    expect(() => tensorToFloat32(sd.i64, 'i64')).toThrow(/'i64' has dtype I64/);
  });

  it('keeps the non-tensor values of the checkpoint', () => {
    expect(ckpt.get('iter')).toBe(250000);
    expect(ckpt.get('lr')).toBe(5e-5);
    expect(ckpt.get('name')).toBe('net_g');
    expect(ckpt.get('big')).toBe(2 ** 40);
    expect(ckpt.get('neg')).toBe(-7);
    expect(ckpt.get('flags')).toEqual([true, false, null]);
    expect(ckpt.get('pair')).toEqual([1, 2]);
  });

  it('selects a nested state dict by key and names the keys when none fits', () => {
    expect(Object.keys(extractStateDict(ckpt, 'params'))).toContain('f32');
    expect(() => extractStateDict(ckpt, 'params_ema')).toThrow(
      /no dict of tensors under key 'params_ema'.*iter/,
    );
    expect(() => extractStateDict(new Map([['x', 1]]))).toThrow(/no state dict found.*top-level keys: x/);
  });

  it('rejects compressed entries, legacy files and truncated archives clearly', () => {
    const bytes = fixture('reader-cases.pth').slice();
    const entries = listZipEntries(bytes);
    expect(entries.map((e) => e.name)).toContain('reader-cases/data.pkl');
    expect(
      new TextDecoder().decode(zipEntryData(bytes, entries.find((e) => e.name.endsWith('version'))!)),
    ).toMatch(/^\d/);
    // Mark the first central-directory entry (data.pkl) as deflated (method 8).
    const dv = new DataView(bytes.buffer);
    let at = 0;
    while (dv.getUint32(at, true) !== 0x02014b50) at++;
    dv.setUint16(at + 10, 8, true);
    expect(() => parseTorchSave(bytes)).toThrow(/compressed \(method 8\)/);
    expect(() => parseTorchSave(Uint8Array.of(0x80, 0x02, 0x8a, 0x0a))).toThrow(/legacy torch.save format/);
    expect(() => parseTorchSave(fixture('reader-cases.pth').subarray(0, 200))).toThrow(
      /end-of-central-directory/,
    );
  });

  it('reads ZIP64 extra fields (sizes and offsets of 0xFFFFFFFF)', () => {
    const zip = buildZip64('a/data/0', Uint8Array.of(1, 2, 3, 4, 5));
    const [entry] = listZipEntries(zip);
    expect(entry).toMatchObject({
      name: 'a/data/0',
      method: 0,
      size: 5,
      compressedSize: 5,
      localHeaderOffset: 0,
    });
    expect(Array.from(zipEntryData(zip, entry))).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('safetensors reader', () => {
  it('reads every dtype and the metadata', () => {
    const { tensors, metadata } = parseSafetensors(fixture('reader-cases.safetensors'));
    expect(metadata).toEqual({ note: 'reader cases' });
    expect(Object.keys(tensors)).toEqual(['f32', 'f16', 'bf16', 'f64', 'i64', 'scalar', 'empty']);
    for (const [name, t] of Object.entries(tensors)) checkTensor(name, t);
  });

  it('works on an unaligned view (a file inside a larger buffer)', () => {
    const f = fixture('reader-cases.safetensors');
    const big = new Uint8Array(f.length + 3);
    big.set(f, 3);
    const { tensors } = parseSafetensors(big.subarray(3));
    expect(Array.from(tensorToFloat32(tensors.f32))).toEqual(expected.tensors.f32.values);
  });

  it('names the malformed entry', () => {
    const make = (header: object, data = new Uint8Array(8)) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      out.set(data, 8 + h.length);
      return out;
    };
    expect(() => parseSafetensors(make({ w: { dtype: 'Q8', shape: [2], data_offsets: [0, 8] } }))).toThrow(
      /'w' has unsupported dtype "Q8"/,
    );
    expect(() => parseSafetensors(make({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))).toThrow(
      /'w' F32 \[3\] needs 12 bytes/,
    );
    expect(() => parseSafetensors(make({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }))).toThrow(
      /needs 16 bytes, data_offsets \[0, 16\] in 8 data bytes/,
    );
    expect(() => parseSafetensors(Uint8Array.of(255, 255, 0, 0, 0, 0, 0, 0, 123))).toThrow(/header length/);
    const ok = make(
      { w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } },
      Uint8Array.of(0x80, 0x3f, 0x40, 0xc0),
    );
    expect(Array.from(tensorToFloat32(parseSafetensors(ok).tensors.w))).toEqual([1, -3]);
  });

  it('readPytorchStateDict recognises both formats by content', () => {
    const a = readPytorchStateDict(fixture('reader-cases.safetensors'));
    const b = readPytorchStateDict(fixture('reader-cases.pth'));
    expect(isStateDictTensor(a.f32) && isStateDictTensor(b.f32)).toBe(true);
    expect(Array.from(tensorToFloat32(a.f16))).toEqual(Array.from(tensorToFloat32(b.f16)));
    expect(() => readPytorchStateDict(new Uint8Array(16))).toThrow(/neither a safetensors file nor/);
  });
});

describe('unpickle', () => {
  // /usr/bin/python3 -c "import pickle, collections; obj = {'a': [1, -2, 3.5, 'é', b'xy', None, True, False,
  //   (1, 2, 3), 2**70, -2**63, 300, 70000, -1], 's': {7}, 'o': collections.OrderedDict([('k', 1)])};
  //   obj['a'].append(obj['a'][8]); print(pickle.dumps(obj, protocol=P).hex())"
  const P4 =
    '8004958c000000000000007d94288c0161945d94284b014afeffffff47400c0000000000008c02c3a99443027879944e88894b014b024b0387948a090000000000000000408a0800000000000000804d2c014a701101004affffffff6805658c0173948f94284b07908c016f948c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c016b944b0173752e';
  const P2 =
    '80027d71002858010000006171015d7102284b014afeffffff47400c0000000000005802000000c3a97103635f636f646563730a656e636f64650a710458020000007879710558060000006c6174696e3171068671075271084e88894b014b024b038771098a090000000000000000408a0800000000000000804d2c014a701101004affffffff680965580100000073710a635f5f6275696c74696e5f5f0a7365740a710b5d710c4b076185710d52710e58010000006f710f63636f6c6c656374696f6e730a4f726465726564446963740a71102952711158010000006b71124b0173752e';

  for (const [name, h] of [
    ['protocol 4', P4],
    ['protocol 2', P2],
  ] as const) {
    it(`decodes ${name}: ints, longs, floats, strings, bytes, tuples, memo, sets, OrderedDict`, () => {
      const v = unpickle(hex(h)) as Map<string, unknown>;
      const a = v.get('a') as unknown[];
      expect(a.slice(0, 4)).toEqual([1, -2, 3.5, 'é']);
      expect(Array.from(a[4] as Uint8Array)).toEqual([0x78, 0x79]);
      expect(a.slice(5, 9)).toEqual([null, true, false, [1, 2, 3]]);
      expect(a[9]).toBe(2n ** 70n);
      expect(a[10]).toBe(-(2n ** 63n));
      expect(a.slice(11, 14)).toEqual([300, 70000, -1]);
      expect(a[14]).toBe(a[8]); // memo: the same object
      expect(v.get('s')).toEqual(new Set([7]));
      expect(v.get('o')).toEqual(new Map([['k', 1]]));
    });
  }

  it('never runs code: unknown globals become inert instances', () => {
    // pickle of os.system('x') as REDUCE: c os\nsystem\n (X...) t R .
    const bytes = new Uint8Array([
      0x80,
      0x02,
      0x63,
      ...new TextEncoder().encode('os\nsystem\n'),
      0x58,
      1,
      0,
      0,
      0,
      0x78,
      0x85,
      0x52,
      0x2e,
    ]);
    const v = unpickle(bytes);
    expect(v).toBeInstanceOf(PickleInstance);
    expect((v as PickleInstance).cls.qualifiedName).toBe('os.system');
    expect((v as PickleInstance).args).toEqual(['x']);
  });

  it('names unsupported opcodes and truncation', () => {
    expect(() => unpickle(Uint8Array.of(0x80, 0x02, 0x97))).toThrow(/unsupported opcode 0x97 .*at byte 2/);
    expect(() => unpickle(Uint8Array.of(0x80, 0x02, 0x58, 9, 0, 0, 0, 0x61))).toThrow(/truncated/);
    expect(() => unpickle(Uint8Array.of(0x80, 0x02, 0x51))).toThrow(/stack underflow/);
  });
});

/** A one-entry stored zip whose central directory defers size and offset to a ZIP64 extra field. */
function buildZip64(name: string, data: Uint8Array): Uint8Array {
  const n = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + n.length);
  const ld = new DataView(local.buffer);
  ld.setUint32(0, 0x04034b50, true);
  ld.setUint16(26, n.length, true);
  local.set(n, 30);
  const central = new Uint8Array(46 + n.length + 28);
  const cd = new DataView(central.buffer);
  cd.setUint32(0, 0x02014b50, true);
  cd.setUint32(20, 0xffffffff, true);
  cd.setUint32(24, 0xffffffff, true);
  cd.setUint16(28, n.length, true);
  cd.setUint16(30, 28, true);
  cd.setUint32(42, 0xffffffff, true);
  central.set(n, 46);
  const x = 46 + n.length;
  cd.setUint16(x, 1, true);
  cd.setUint16(x + 2, 24, true);
  cd.setBigUint64(x + 4, BigInt(data.length), true);
  cd.setBigUint64(x + 12, BigInt(data.length), true);
  cd.setBigUint64(x + 20, 0n, true);
  const eocd = new Uint8Array(22);
  const ed = new DataView(eocd.buffer);
  ed.setUint32(0, 0x06054b50, true);
  ed.setUint16(8, 1, true);
  ed.setUint16(10, 1, true);
  ed.setUint32(12, central.length, true);
  ed.setUint32(16, local.length + data.length, true);
  const out = new Uint8Array(local.length + data.length + central.length + eocd.length);
  out.set(local, 0);
  out.set(data, local.length);
  out.set(central, local.length + data.length);
  out.set(eocd, local.length + data.length + central.length);
  return out;
}
