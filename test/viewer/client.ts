// Test support: a WebSocket client for the viewer that collects JSON messages and pose frames and can wait for either.
import WebSocket from 'ws';
import { checkFrame, parseServerMessage, type ClientMessage, type ServerMessage } from '../../viewer/protocol.ts';

export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly frames: Float32Array[] = [];
  readonly invalid: string[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const buf = data as Buffer;
        const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        const problem = checkFrame(f);
        if (problem) this.invalid.push(problem);
        else this.frames.push(f);
      } else {
        const parsed = parseServerMessage(data.toString());
        if (parsed.ok) this.messages.push(parsed.msg);
        else this.invalid.push(parsed.error);
      }
      this.wake();
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; this.wake(); });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + 'ws', { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(msg: ClientMessage | string | Buffer): void {
    this.ws.send(typeof msg === 'string' || Buffer.isBuffer(msg) ? msg : JSON.stringify(msg));
  }

  /** Messages of one type received so far. */
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  /** Resolves when `test` holds (checked after every message), or rejects after `ms`. */
  until(test: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (!test()) return this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
