import { type EmulatorHandle, startEmulator } from "../src/index.js";

/** Starts an emulator on a free port with the test CA (trusted through NODE_EXTRA_CA_CERTS). */
export function startTestEmulator(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, caDir: process.env.B24KIT_TEST_CA_DIR, quiet: true, ...options });
}

export interface RestReply {
  status: number;
  body: Record<string, unknown> & { result?: unknown; error?: string; error_description?: string };
  headers: Headers;
}

/** POSTs JSON to `${base}${method}` (base is a webhook URL or a client endpoint) and returns status and body. */
export async function call(
  base: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<RestReply> {
  const res = await fetch(`${base}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Calls the emulator's control API. */
export async function control(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> & Record<string, any> }> {
  const res = await fetch(`${emu.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
