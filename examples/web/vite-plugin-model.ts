/**
 * Serves the ctmsr package's default model at `models/default/` in the dev server and copies it
 * into the build output, so the repository holds one copy of the weights (in packages/ctmsr).
 * Only `model.json` and the weight shards it names are published.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** URL path (relative to the site's base) where the page looks for the model. */
export const MODEL_PATH = 'models/default';

/** `model.json` plus the shard files its weights manifest lists. */
export function modelFiles(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest?: { paths?: string[] }[];
  };
  const shards = (manifest.weightsManifest ?? []).flatMap((group) => group.paths ?? []);
  if (shards.length === 0) throw new Error(`serveDefaultModel: ${dir}/model.json names no weight shards`);
  return ['model.json', ...shards];
}

const TYPES: Record<string, string> = { json: 'application/json', bin: 'application/octet-stream' };

export function serveDefaultModel(dir: string): Plugin {
  return {
    name: 'ctmsr-default-model',
    configureServer(server) {
      server.middlewares.use(`/${MODEL_PATH}/`, (req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0].replace(/^\//, ''));
        if (!modelFiles(dir).includes(name)) return next();
        res.setHeader('Content-Type', TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.end(readFileSync(join(dir, name)));
      });
    },
    generateBundle() {
      for (const name of modelFiles(dir)) {
        this.emitFile({
          type: 'asset',
          fileName: `${MODEL_PATH}/${name}`,
          source: readFileSync(join(dir, name)),
        });
      }
    },
  };
}
