/**
 * One entry point for PyTorch state dicts in either file format: `.safetensors` or a `torch.save`
 * zip (`.pth`/`.pt`), recognised by content, not by name.
 */
import { looksLikeSafetensors, parseSafetensors } from './safetensors.js';
import type { StateDict } from './state-dict.js';
import { extractStateDict, markTensor, parseTorchSave } from './torch-zip.js';
import { looksLikeZip } from './zip.js';

export interface ReadStateDictOptions {
  /**
   * For `.pth` checkpoints that nest the state dict (BasicSR's `{'params': ..., 'params_ema': ...}`):
   * the key to use. Default: the file itself if it is a dict of tensors, else the first of
   * 'params_ema', 'params', 'state_dict', 'model'.
   */
  key?: string;
}

/** Reads a PyTorch state dict from the bytes of a `.safetensors` or `torch.save` zip file. */
export function readPytorchStateDict(bytes: Uint8Array, options: ReadStateDictOptions = {}): StateDict {
  if (!(bytes instanceof Uint8Array)) {
    throw new Error(
      `readPytorchStateDict: 'bytes' must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
    );
  }
  if (looksLikeZip(bytes) || (bytes[0] === 0x80 && bytes[1] === 0x02)) {
    return extractStateDict(parseTorchSave(bytes), options.key);
  }
  if (looksLikeSafetensors(bytes)) {
    const { tensors } = parseSafetensors(bytes);
    for (const t of Object.values(tensors)) markTensor(t);
    return tensors;
  }
  throw new Error('readPytorchStateDict: neither a safetensors file nor a torch.save zip archive');
}
