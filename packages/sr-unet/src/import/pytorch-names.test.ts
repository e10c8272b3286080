import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveSrUnetConfig } from '../config.js';
import { buildLayout, countParameters } from '../layout.js';
import { applyTransform, expectedRelativePositionIndex, pytorchKeyMap } from './pytorch-names.js';
import { readPytorchStateDict } from './read-state-dict.js';
import { tensorToNumbers } from './state-dict.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url)));
}

describe('pytorchKeyMap', () => {
  const official = resolveSrUnetConfig('official');
  const map = pytorchKeyMap(official);
  const byOurs = new Map(map.map((m) => [m.ours, m]));

  it('maps every parameter of the official preset to a distinct reference key', () => {
    expect(map.map((m) => m.ours)).toEqual(buildLayout(official).params.map((p) => p.name));
    expect(new Set(map.map((m) => m.theirs)).size).toBe(map.length);
    const n = map.reduce((a, m) => a + m.theirShape.reduce((x, y) => x * y, 1), 0);
    expect(n).toBe(countParameters(official));
  });

  it('uses the EDM SongUNet / ResShift names and PyTorch layouts', () => {
    const expectMap = (ours: string, theirs: string, shape: number[]) => {
      const m = byOurs.get(ours);
      expect(m?.theirs, ours).toBe(theirs);
      expect(m?.theirShape, ours).toEqual(shape);
    };
    expectMap('map.layer0.weight', 'model.map_layer0.weight', [768, 192]);
    expectMap('enc.l0.conv.weight', 'model.enc.64x64_conv.weight', [192, 51, 3, 3]);
    expectMap('enc.l1.down.skip.weight', 'model.enc.32x32_down.skip.weight', [192, 192, 1, 1]);
    expectMap('enc.l0.block3.norm0.gamma', 'model.enc.64x64_block3.norm0.weight', [192]);
    expectMap('enc.l2.block0.affine.weight', 'model.enc.16x16_block0.affine.weight', [384, 768]);
    expectMap(
      'dec.l3.in0.attn.rel_bias',
      'model.dec.8x8_in0.swin_layer.blocks.0.attn.relative_position_bias_table',
      [225, 6],
    );
    expectMap(
      'dec.l1.block4.attn.qkv.weight',
      'model.dec.32x32_block4.swin_layer.blocks.0.attn.qkv.weight',
      [576, 192],
    );
    expectMap(
      'dec.l0.block4.attn.fc1.weight',
      'model.dec.64x64_block4.swin_layer.blocks.0.mlp.fc1.weight',
      [768, 192, 1, 1],
    );
    expectMap(
      'dec.l0.block4.attn.conv_in.weight',
      'model.dec.64x64_block4.swin_layer.patch_embed.proj.weight',
      [192, 192, 1, 1],
    );
    expectMap(
      'dec.l0.block4.attn.conv_out.bias',
      'model.dec.64x64_block4.swin_layer.patch_unembed.proj.bias',
      [192],
    );
    expectMap('head.norm.beta', 'model.dec.64x64_aux_norm.bias', [192]);
    expectMap('head.conv0.weight', 'model.dec.64x64_aux_conv.weight', [192, 192, 3, 3]);
    expectMap('head.up0.weight', 'model.conv_up1.weight', [192, 192, 3, 3]);
    expectMap('head.up1.bias', 'model.conv_up2.bias', [192]);
    expectMap('head.out.weight', 'model.conv_last.weight', [3, 192, 3, 3]);
  });

  it('honours prefix and resolution, and rejects resolutions the levels cannot name', () => {
    const tiny = resolveSrUnetConfig('tiny');
    const m = pytorchKeyMap(tiny, { prefix: '', resolution: 32 });
    expect(m.find((x) => x.ours === 'enc.l2.block0.attn.rel_bias')?.theirs).toBe(
      'enc.8x8_block0.swin_layer.blocks.0.attn.relative_position_bias_table',
    );
    expect(m.find((x) => x.ours === 'head.conv.weight')?.theirs).toBe('dec.32x32_aux_conv.weight');
    expect(() => pytorchKeyMap(tiny, { resolution: 6 })).toThrow(
      /'resolution' must be a positive multiple of 4/,
    );
  });
});

describe('layout transforms', () => {
  it('conv OIHW -> HWIO and linear [O, I] -> [I, O]', () => {
    // conv [O=2, I=3, 1, 2]: value = 100 o + 10 i + w
    const src = new Float32Array(12);
    for (let o = 0; o < 2; o++)
      for (let i = 0; i < 3; i++) for (let w = 0; w < 2; w++) src[(o * 3 + i) * 2 + w] = 100 * o + 10 * i + w;
    const hwio = applyTransform(src, 'conv', [2, 3, 1, 2]);
    for (let w = 0; w < 2; w++)
      for (let i = 0; i < 3; i++)
        for (let o = 0; o < 2; o++) expect(hwio[(w * 3 + i) * 2 + o]).toBe(100 * o + 10 * i + w);
    expect(Array.from(applyTransform(Float32Array.of(1, 2, 3, 4, 5, 6), 'linear', [2, 3]))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
    expect(
      Array.from(applyTransform(Float32Array.of(1, 2, 3, 4, 5, 6), 'conv1x1Linear', [2, 3, 1, 1])),
    ).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("the relative-position index matches the mirror's (Swin) buffer", () => {
    const sd = readPytorchStateDict(fixture('srunet-parity-nearest.safetensors'));
    const key = Object.keys(sd).find((k) => k.endsWith('relative_position_index'));
    expect(key).toBeDefined();
    expect(Array.from(tensorToNumbers(sd[key as string]))).toEqual(
      Array.from(expectedRelativePositionIndex(4)),
    );
  });
});

describe('parameter counts: PyTorch mirror vs ours', () => {
  const counts = JSON.parse(new TextDecoder().decode(fixture('srunet-torch-counts.json'))) as Record<
    string,
    number
  >;
  for (const preset of ['tiny', 'small', 'official'] as const) {
    it(`${preset}: ${counts[preset]}`, () => {
      expect(countParameters(resolveSrUnetConfig(preset))).toBe(counts[preset]);
    });
  }
  it('official with one 3x3 conv per swin layer (the use_conv reading) is ~171.5 M, near the paper’s 172 M', () => {
    expect(counts.officialUseConv).toBe(171518529);
    expect(Math.abs(counts.officialUseConv - 172e6) / 172e6).toBeLessThan(0.005);
  });
});
