import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HandlerResponse {
  status: number;
  body: string;
}

export class HandlerTimeout extends Error {}

/**
 * POSTs a form body to an app's handler as the portal's queue does. Plain
 * node:http(s) rather than fetch so a CA bundle can be given (--require-https
 * with the portal's own trust store) and a timeout ends the request for real.
 */
export function postForm(
  url: string,
  body: string,
  timeoutMs: number,
  ca?: string,
): Promise<HandlerResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Bitrix24 Webhook Engine",
        },
        ...(ca && target.protocol === "https:" ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new HandlerTimeout(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
