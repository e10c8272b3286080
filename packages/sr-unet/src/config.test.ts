import { describe, expect, it } from 'vitest';
import { resolveSrUnetConfig, SR_UNET_PRESETS } from './config.js';
import { buildLayout, countParameters, requiredMultiple } from './layout.js';

/** Parameters of one extra 3x3 C->C conv (weight + bias) per swin layer: the `use_conv` reading. */
function useConvExtra(): number {
  const layout = buildLayout(resolveSrUnetConfig('official'));
  const blocks = [...layout.encoder.flatMap((s) => (s.kind === 'block' ? [s.block] : [])), ...layout.decoder];
  return blocks.filter((b) => b.attn).reduce((n, b) => n + 9 * b.cout * b.cout + b.cout, 0);
}

describe('SrUnet config', () => {
  it('official preset has the paper layout: 21 swin layers, ~148.6 M parameters (171.5 M with use_conv)', () => {
    const cfg = resolveSrUnetConfig('official');
    const layout = buildLayout(cfg);
    const encAttn = layout.encoder.filter((s) => s.kind === 'block' && s.block.attn).length;
    const decAttn = layout.decoder.filter((b) => b.attn).length;
    expect([encAttn, decAttn]).toEqual([16, 5]);
    expect(layout.decoder.map((b) => `${b.cin}->${b.cout}`).slice(-6)).toEqual([
      '384->384',
      '576->192',
      '384->192',
      '384->192',
      '384->192',
      '384->192',
    ]);
    const n = countParameters(cfg);
    expect(n).toBe(148_618_881);
    expect(n + useConvExtra()).toBe(171_518_529); // the paper / RSD report 172 M
    expect(requiredMultiple(cfg)).toBe(64);
  });

  it('tiny and small parameter counts and size multiples', () => {
    expect(countParameters(resolveSrUnetConfig('tiny'))).toBe(747_494);
    expect(countParameters(resolveSrUnetConfig('small'))).toBe(1_276_630);
    expect(requiredMultiple(resolveSrUnetConfig('tiny'))).toBe(32);
    expect(requiredMultiple(resolveSrUnetConfig({ preset: 'tiny', attnLevels: [] }))).toBe(4);
  });

  it('resolves partial configs on top of a preset and copies arrays', () => {
    const c = resolveSrUnetConfig({ preset: 'small', modelChannels: 16 });
    expect(c.modelChannels).toBe(16);
    expect(c.channelMult).toEqual(SR_UNET_PRESETS.small.channelMult);
    expect(c.channelMult).not.toBe(SR_UNET_PRESETS.small.channelMult);
    expect(resolveSrUnetConfig({}).modelChannels).toBe(SR_UNET_PRESETS.tiny.modelChannels);
    // A complete config stands alone (no optional field of `tiny` leaks in) and round-trips.
    const { attnChannels: _a, headChannels: _h, ...bare } = SR_UNET_PRESETS.official;
    expect(resolveSrUnetConfig(bare).attnChannels).toBeUndefined();
    expect(countParameters(resolveSrUnetConfig(bare))).toBe(148_618_881);
    for (const p of ['tiny', 'small', 'official'] as const) {
      expect(resolveSrUnetConfig(resolveSrUnetConfig(p))).toEqual(resolveSrUnetConfig(p));
    }
  });

  it('names unknown keys and invalid fields', () => {
    expect(() => resolveSrUnetConfig({ modelChanels: 3 } as never)).toThrow(
      /unknown key\(s\) 'modelChanels'/,
    );
    expect(() => resolveSrUnetConfig('huge' as never)).toThrow(/'preset'/);
    expect(() => resolveSrUnetConfig({ modelChannels: 30 })).toThrow(/channelMult\[0\] \* modelChannels/);
    expect(() => resolveSrUnetConfig({ attnLevels: [5] })).toThrow(/'attnLevels'/);
    expect(() => resolveSrUnetConfig({ dropout: 1 })).toThrow(/'dropout'/);
    expect(() => resolveSrUnetConfig({ head: 'bilinear' as never })).toThrow(/'head'/);
    expect(() => resolveSrUnetConfig({ numHeads: 3 })).toThrow(/'numHeads'/);
    expect(() => resolveSrUnetConfig({ scale: 3, head: 'nearest-conv' })).toThrow(/'scale'/);
  });

  it('parameter names are unique', () => {
    for (const p of ['tiny', 'small', 'official'] as const) {
      const names = buildLayout(resolveSrUnetConfig(p)).params.map((s) => s.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
