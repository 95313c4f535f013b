import { createServer } from "node:net";

/** Listens on `port` (0: any) for a moment; resolves with the port, or undefined when it is taken. */
function probe(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, host, () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The port to use: the requested one (an error when taken), or for 0 the one of the last run when
 * it is still free, else any free one.
 */
export async function choosePort(
  requested: number,
  remembered: number | undefined,
  what: string,
  host = "127.0.0.1",
): Promise<number> {
  if (requested !== 0) {
    if ((await probe(requested, host)) === undefined)
      throw new Error(
        `port ${requested} (${what}) is in use: stop what holds it, or pass 0 to pick a free one`,
      );
    return requested;
  }
  if (remembered && (await probe(remembered, host)) !== undefined) return remembered;
  const port = await probe(0, host);
  if (port === undefined) throw new Error(`no free port for ${what}`);
  return port;
}
