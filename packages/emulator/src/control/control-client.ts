import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * Calls the control API with the emulator's own CA, so scripts that start an
 * emulator in-process can drive it without setting NODE_EXTRA_CA_CERTS first.
 * Resolves with the status and the parsed body, whatever the status.
 */
export function controlExchange<T = unknown>(
  controlUrl: string,
  caPem: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const url = new URL(path, controlUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: payload
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
          : {},
        ...(caPem ? { ca: caPem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ status: res.statusCode ?? 500, body: (text ? JSON.parse(text) : {}) as T });
          } catch {
            reject(
              new Error(
                `emulator control ${method} ${path}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`,
              ),
            );
          }
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** As controlExchange, rejecting with the control API's message when the status is 400 or more. */
export async function controlRequest<T = unknown>(
  controlUrl: string,
  caPem: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const reply = await controlExchange<T>(controlUrl, caPem, method, path, body);
  if (reply.status >= 400)
    throw new Error(`emulator control ${method} ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
