// The viewer server: one HTTP server for the built page and a checked WebSocket endpoint (/ws) onto the hub; startViewer() is its API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { DIST, ensurePageBuilt } from './build.ts';
import { ViewerHub, type HubOptions } from './hub.ts';
import { RunWatcher } from './run.ts';
import { MAX_WS_PAYLOAD } from './protocol.ts';

export interface ViewerOptions extends HubOptions {
  /** Interface to bind (default 127.0.0.1, this machine only). */
  host?: string;
  /** TCP port (default 8177; 0 = any free port). */
  port?: number;
  /** When the port is taken, try the next ones (what `npm start` wants). */
  portFallback?: boolean;
  /** A recording to open in replay mode (tasks/recording.ts format, e.g. parsed from a file). */
  replay?: unknown;
  /** A training run directory: its metrics.jsonl feeds the learning curve, <run>/rollouts/*.json live mode. */
  run?: string;
  /** Build the page first when missing or stale (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

export interface ViewerHandle {
  url: string;
  port: number;
  hub: ViewerHub;
  /** Adds a metrics.jsonl row to the learning curve (throws on a malformed row). */
  publishMetrics(row: unknown): void;
  /** Streams an evaluation rollout (a recording) in live mode. */
  publishRollout(recording: unknown): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8177;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
};
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Starts the viewer: builds the page if needed, starts the hub and the server, returns its URL and API. */
export async function startViewer(opts: ViewerOptions = {}): Promise<ViewerHandle> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  if (opts.build ?? true) await ensurePageBuilt({ log });
  const hub = await ViewerHub.create(opts);
  const watcher = opts.run ? new RunWatcher(opts.run, hub, log) : null;
  try {
    if (opts.replay !== undefined) await hub.loadReplay(opts.replay);
    await watcher?.start();
  } catch (err) {
    hub.close();
    throw err;
  }
  const server = createServer((req, res) => void serveStatic(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });
  server.on('upgrade', (req, socket, head) => {
    const refusal = checkUpgrade(req, host);
    if (refusal) return refuse(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws));
  });
  const port = await listen(server, host, opts.port ?? DEFAULT_PORT, opts.portFallback ?? false);
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`, port, hub,
    publishMetrics: (row) => hub.publishMetrics(row),
    publishRollout: (recording) => hub.publishRollout(recording),
    close: async () => {
      watcher?.stop();
      hub.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server, host: string, port: number, fallback: boolean): Promise<number> {
  for (let p = port, tries = 0; ; p++, tries++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, host, () => { server.off('error', reject); resolve(); });
      });
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : p;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE' && fallback && port !== 0 && tries < 20) continue;
      if (code === 'EADDRINUSE') throw new Error(`port ${p} on ${host} is in use: pass --port <n> (or --port 0 for any free port)`);
      throw err;
    }
  }
}

/**
 * Why a WebSocket upgrade is refused, or null to accept. Only `/ws`; a browser's Origin must be
 * this server itself (the Host it asked for); on a loopback bind the Host must be a loopback
 * name too, so other sites (and DNS rebinding) cannot drive the simulation.
 */
export function checkUpgrade(req: IncomingMessage, boundHost: string): string | null {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/ws') return '404 Not Found';
  const hostHeader = req.headers.host ?? '';
  const hostname = hostHeader.replace(/:\d+$/, '');
  if (LOOPBACK.has(boundHost) && !LOOPBACK.has(hostname)) return '403 Forbidden';
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  try {
    return new URL(origin).host === hostHeader ? null : '403 Forbidden';
  } catch {
    return '403 Forbidden';
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Serves files from viewer/dist (GET and HEAD only, no paths outside it). */
async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return reply(res, 400, 'bad path');
    }
    const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) return reply(res, 403, 'forbidden');
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) {
      const built = await stat(join(DIST, 'index.html')).catch(() => null);
      return built ? reply(res, 404, 'not found') : reply(res, 503, 'the viewer page is not built: run `npx paddock view` (it builds the page) or `npm run build:viewer`');
    }
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length,
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600', 'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    if (!res.headersSent) reply(res, 500, (err as Error).message);
    else res.destroy();
  }
}

function reply(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
