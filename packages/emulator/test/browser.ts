import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import qs from "qs";

/** The official frame SDK's UMD build, unmodified. */
const SDK_UMD = readFileSync(
  new URL("../../../node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js", import.meta.url),
);

/** One request the app's server got from the portal's frame form (§2.2: query string plus form body). */
export interface FrameHit {
  path: string;
  method: string;
  query: Record<string, string>;
  body: Record<string, any>;
}

export interface TestAppServer {
  /** `http://127.0.0.1:<port>/` (plain http on loopback is allowed in frames). */
  url: string;
  hits: FrameHit[];
  close(): Promise<void>;
}

/**
 * A tiny app on 127.0.0.1 whose pages load the official SDK (`/sdk.js`) and
 * run `script` (with `B24Js` in scope) after `initializeB24Frame()`.
 */
export async function startTestApp(pages: Record<string, { title: string; body: string; script: string }>) {
  const hits: FrameHit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/sdk.js") {
        res.writeHead(200, { "content-type": "text/javascript" }).end(SDK_UMD);
        return;
      }
      const page = pages[url.pathname];
      if (!page) {
        res.writeHead(404).end("not found");
        return;
      }
      hits.push({
        path: url.pathname,
        method: req.method ?? "",
        query: Object.fromEntries(url.searchParams),
        body: qs.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, any>,
      });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>${page.title}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:0;padding:16px 20px;color:#333}h1{font-size:18px;margin:0 0 8px}
.kpi{display:inline-block;margin:8px 12px 0 0;padding:10px 14px;border-radius:10px;background:#eef7fb}
.kpi b{display:block;font-size:20px;color:#0b66c3}</style></head>
<body>${page.body}<script src="/sdk.js"></script><script>
(async () => {
  const status = document.getElementById("status");
  try {
    const b24 = await B24Js.initializeB24Frame();
    ${page.script}
  } catch (e) {
    if (status) status.textContent = "error: " + (e && (e.message || e.code || e));
  }
})();
</script></body></html>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } satisfies TestAppServer;
}
