/**
 * Starts Debian's headless chromium in its own process group with WebGPU enabled, and connects
 * Playwright to it over the DevTools protocol. `close()` ends the whole process group
 * (/usr/bin/chromium is a shell wrapper that starts several processes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags that give a WebGPU adapter (SwiftShader, a CPU Vulkan implementation) in headless Debian
 * chromium on a machine without a GPU. The page must be served from a secure context
 * (http://127.0.0.1 counts); `about:blank` has no `navigator.gpu`.
 */
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface RunningChromium {
  browser: Browser;
  close(): Promise<void>;
}

function waitForDevTools(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`chromium did not start in ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited early (code ${code}, signal ${signal}):\n${log}`));
    });
  });
}

function endGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid == null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Launches chromium with a fresh profile directory; `extraFlags` are appended. */
export async function launchChromium(extraFlags: string[] = []): Promise<RunningChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'ctmsr-chromium-'));
  const args = [
    ...CHROMIUM_FLAGS,
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    ...extraFlags,
    'about:blank',
  ];
  const child = spawn(CHROMIUM, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const endpoint = await waitForDevTools(child, 30_000);
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      async close() {
        await browser.close().catch(() => {});
        endGroup(child, 'SIGTERM');
        const killed = setTimeout(() => endGroup(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(killed);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    endGroup(child, 'SIGKILL');
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
