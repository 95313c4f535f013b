import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * Calls the control API with the emulator's own CA, so scripts that start an
 * emulator in-process can drive it without setting NODE_EXTRA_CA_CERTS first.
 */
export function controlRequest<T = unknown>(
  controlUrl: string,
  caPem: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
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
          if ((res.statusCode ?? 500) >= 400) {
            reject(new Error(`emulator control ${method} ${path}: HTTP ${res.statusCode} ${text}`));
            return;
          }
          resolve((text ? JSON.parse(text) : {}) as T);
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
