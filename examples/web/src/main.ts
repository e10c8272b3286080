/**
 * The page: pick or drop an image, upscale it 4x in a worker, compare with bicubic, download.
 * `?backend=webgpu|webgl|wasm|auto` preselects the backend.
 */
import { compareSlider } from './compare-slider';
import { checkDimensions, checkFile, resultFileName } from './limits';
import { BACKEND_CHOICES, type BackendRequest, type RawImage } from './protocol';
import { CancelledError, WorkerClient } from './worker-client';

/** Tile side in input pixels: small tiles make the progress bar move (the library rounds it to the model). */
const TILE_SIZE = 128;
const SCALE = 4;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fileInput = $<HTMLInputElement>('file');
const drop = $<HTMLLabelElement>('drop');
const backendSelect = $<HTMLSelectElement>('backend');
const stepsSelect = $<HTMLSelectElement>('steps');
const seedInput = $<HTMLInputElement>('seed');
const runButton = $<HTMLButtonElement>('run');
const cancelButton = $<HTMLButtonElement>('cancel');
const progress = $<HTMLProgressElement>('progress');
const message = $<HTMLParagraphElement>('message');
const backendInfo = $<HTMLParagraphElement>('backend-info');
const result = $<HTMLElement>('result');
const download = $<HTMLAnchorElement>('download');
const slider = compareSlider($('figure'));

type State = 'loading' | 'ready' | 'working' | 'done' | 'error';

let input: { name: string; image: RawImage } | null = null;
let job: number | null = null;
let modelReady = false;
/** An image picked while the model was loading runs as soon as it is ready. */
let runWhenReady = false;
let downloadUrl: string | null = null;

function setState(state: State, text: string): void {
  document.body.dataset.state = state;
  message.textContent = text;
  message.classList.toggle('error', state === 'error');
  runButton.disabled = state === 'loading' || state === 'working' || input == null;
  cancelButton.disabled = state !== 'working';
}

const requested = new URLSearchParams(location.search).get('backend') ?? 'auto';
backendSelect.value = (BACKEND_CHOICES as readonly string[]).includes(requested) ? requested : 'auto';
const client = new WorkerClient(
  new URL('models/default/model.json', document.baseURI).href,
  backendSelect.value as BackendRequest,
);

async function whenReady(): Promise<void> {
  modelReady = false;
  setState('loading', 'Loading the model...');
  backendInfo.textContent = '';
  try {
    const ready = await client.ready;
    const adapter = ready.adapter ? `, adapter ${ready.adapter}` : '';
    backendInfo.textContent = `Backend ${ready.backend}${adapter} (${ready.reason}); model ${ready.model}.`;
    backendInfo.dataset.backend = ready.backend;
    modelReady = true;
    setState('ready', input ? 'Ready.' : 'Ready: choose or drop an image.');
    if (runWhenReady) void upscale();
    runWhenReady = false;
  } catch (err) {
    setState('error', (err as Error).message);
  }
}

async function readImage(file: File): Promise<void> {
  const problem = checkFile(file);
  if (problem) return setState('error', problem);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return setState(
      'error',
      `"${file.name}" could not be decoded as an image (damaged or unsupported format).`,
    );
  }
  const tooLarge = checkDimensions(file.name, bitmap.width, bitmap.height);
  if (tooLarge) return setState('error', tooLarge);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  input = { name: file.name, image: { data, width, height } };
  if (modelReady) void upscale();
  else runWhenReady = true;
}

async function upscale(): Promise<void> {
  if (!input) return;
  const { image, name } = input;
  if (job != null) client.cancel(job);
  const steps = Number(stepsSelect.value);
  const seed = Math.trunc(Number(seedInput.value) || 0);
  progress.value = 0;
  setState(
    'working',
    `Upscaling ${name} (${image.width} x ${image.height}) with ${steps} step(s), seed ${seed}...`,
  );
  // The worker takes ownership of the pixels it is sent: send a copy, keep the original for re-runs.
  const copy = { ...image, data: new Uint8ClampedArray(image.data) };
  const run = client.upscale({
    image: copy,
    steps,
    seed,
    tileSize: TILE_SIZE,
    onProgress: (completed, total) => {
      progress.value = completed / total;
      message.textContent = `Upscaling ${name}: tile ${completed} of ${total}...`;
    },
  });
  job = run.id;
  try {
    const { output, bicubic, seconds } = await run.done;
    if (job !== run.id) return;
    const toImageData = (r: RawImage) => new ImageData(r.data, r.width, r.height);
    slider.show(toImageData(bicubic), toImageData(output));
    result.hidden = false;
    progress.value = 1;
    await updateDownload(name);
    setState('done', `Done: ${output.width} x ${output.height} in ${seconds.toFixed(1)} s.`);
  } catch (err) {
    if (job !== run.id) return; // superseded by a newer run or a backend change
    if (err instanceof CancelledError) setState('ready', 'Cancelled.');
    else setState('error', (err as Error).message);
    progress.value = 0;
  } finally {
    if (job === run.id) job = null;
  }
}

async function updateDownload(name: string): Promise<void> {
  const canvas = document.getElementById('after') as HTMLCanvasElement;
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = blob ? URL.createObjectURL(blob) : null;
  download.href = downloadUrl ?? '#';
  download.download = resultFileName(name, SCALE);
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  fileInput.value = '';
  if (file) void readImage(file);
});
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void readImage(file);
});
runButton.addEventListener('click', () => void upscale());
cancelButton.addEventListener('click', () => {
  if (job != null) client.cancel(job);
  message.textContent = 'Cancelling...';
});
backendSelect.addEventListener('change', () => {
  job = null;
  client.start(backendSelect.value as BackendRequest);
  void whenReady();
});

void whenReady();
