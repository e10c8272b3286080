import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serveDefaultModel } from './vite-plugin-model.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

// The example imports 'ctmsr' and '@ctmsr/*' like any app; inside this repository they resolve to
// the packages' sources, so the page always runs the code next to it and needs no package build.
const alias = readdirSync(`${repo}packages`).map((dir) => ({
  find: new RegExp(`^${dir === 'ctmsr' ? 'ctmsr' : `@ctmsr/${dir}`}$`),
  replacement: `${repo}packages/${dir}/src/index.ts`,
}));

export default defineConfig({
  // Relative asset URLs: the built site works from any folder of a static host.
  base: './',
  resolve: { alias },
  plugins: [serveDefaultModel(`${repo}packages/ctmsr/models/default`)],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      onLog(level, log, handler) {
        // The library's Node-only branches import node:* lazily; they never run in a browser.
        if (/externalized for browser compatibility/.test(log.message)) return;
        if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
        handler(level, log);
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
