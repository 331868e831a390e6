// The pages connected to the viewer hub: their sockets and rate limits, and sending JSON messages and binary pose frames to them.
import type { WebSocket } from 'ws';
import { connectionLimits, type TokenBucket } from './limits.ts';
import type { ServerMessage } from './protocol.ts';

/** Pages with more than this many bytes queued are skipped for pose frames (and what goes with them). */
const MAX_BUFFERED = 1 << 20;

export interface Client {
  ws: WebSocket;
  limits: Record<'any' | 'drag' | 'kick' | 'select', TokenBucket>;
}

export class Clients {
  private readonly all = new Set<Client>();

  get size(): number {
    return this.all.size;
  }

  add(ws: WebSocket): Client {
    const client: Client = { ws, limits: connectionLimits() };
    this.all.add(client);
    return client;
  }

  delete(client: Client): void {
    this.all.delete(client);
  }

  send(client: Client, msg: ServerMessage): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(msg));
  }

  broadcast(msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    for (const c of this.all) if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  }

  /** A pose frame, then `after` (a message about the same step, e.g. the posterior), to every page that is keeping up. */
  broadcastFrame(frame: Float32Array, after: ServerMessage | null): void {
    const text = after ? JSON.stringify(after) : null;
    for (const c of this.all) {
      if (c.ws.readyState !== c.ws.OPEN || c.ws.bufferedAmount >= MAX_BUFFERED) continue;
      c.ws.send(frame);
      if (text) c.ws.send(text);
    }
  }

  closeAll(code: number, reason: string): void {
    for (const c of this.all) c.ws.close(code, reason);
  }
}
