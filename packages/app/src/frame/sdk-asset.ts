import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Served at `b24/assets/b24jssdk.js`: the official SDK's browser build, so frames need no CDN. */
export const SDK_ASSET_PATH = "b24/assets/b24jssdk.js";

let cached: Promise<Buffer> | undefined;

/** The official @bitrix24/b24jssdk UMD build (global `B24Js`), read once. */
export function sdkBundle(): Promise<Buffer> {
  cached ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve("@bitrix24/b24jssdk/package.json");
    return readFile(join(dirname(pkg), "dist", "umd", "index.min.js"));
  })();
  return cached;
}

export async function sdkAssetResponse(): Promise<Response> {
  return new Response(new Uint8Array(await sdkBundle()), {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
      "x-content-type-options": "nosniff",
    },
  });
}
