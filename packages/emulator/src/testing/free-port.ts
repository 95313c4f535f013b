import { createServer } from "node:net";

/**
 * A port nobody listens on right now, on 127.0.0.1. An app's public URL is
 * part of its registration, so tests need the port before the app starts;
 * another process could take it in between, which on a test machine is rare
 * enough to live with.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
