// Test helper: a TCP proxy (node:net) in front of a dependency (PostgreSQL, Redis) that a test can
// slow down (delay every answer) or cut (drop every connection, refuse new ones) and restore.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private cut = false;
  /** Added to every chunk flowing back from the dependency (order is kept). */
  delayMs = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this.port;
  }

  private accept(client: Socket): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.target);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let due = 0;
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (this.delayMs <= 0 && due <= Date.now()) {
        client.write(chunk);
        return;
      }
      due = Math.max(Date.now() + this.delayMs, due);
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, due - Date.now());
    });
  }

  /** Drops every open connection and refuses new ones until restore(). */
  cutAll(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cut = false;
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
