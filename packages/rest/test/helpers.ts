import { type EmulatorHandle, startEmulator } from "@b24kit/emulator";

export function startTestEmulator(): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, caDir: process.env.B24KIT_TEST_CA_DIR, quiet: true });
}

export async function control(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${emu.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** A fresh portal with a bucket too big to matter, for tests about something else. */
export async function roomyPortal(emu: EmulatorHandle, plan = "professional"): Promise<any> {
  const portal = await control(emu, "POST", "portals", { plan });
  await control(emu, "PATCH", `portals/${portal.memberId}`, {
    bucket: { burst: 100_000, drainPerSecond: 10_000 },
  });
  return portal;
}

export async function stats(
  emu: EmulatorHandle,
  memberId: string,
): Promise<{ total: number; byMethod: Record<string, number>; errors: Record<string, number> }> {
  return (await control(emu, "GET", `portals/${memberId}/stats`)).requests;
}

/** Installs a fresh app on the portal and returns its credentials and the portal's auth payload. */
export async function installApp(
  emu: EmulatorHandle,
  memberId: string,
  scopes = ["crm", "user", "task", "disk", "placement"],
) {
  const app = await control(emu, "POST", "apps", { scopes });
  const install = await control(emu, "POST", `portals/${memberId}/install`, { clientId: app.clientId });
  return {
    clientId: app.clientId as string,
    clientSecret: app.clientSecret as string,
    auth: install.auth as Record<string, any>,
  };
}

/** Records every request a client makes (URL and HTTP method), passing it on to the real fetch. */
export function recordingFetch(): {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  requests: Array<{ url: string; method: string }>;
} {
  const requests: Array<{ url: string; method: string }> = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push({ url: input, method: init.method ?? "GET" });
      return fetch(input, init);
    },
  };
}

/** Every value of an async generator. */
export async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of gen) out.push(row);
  return out;
}

/** The tokens of an emulator auth payload, as a TokenStore holds them. */
export function tokensFrom(auth: Record<string, any>) {
  return {
    accessToken: auth.access_token as string,
    refreshToken: auth.refresh_token as string,
    expiresAt: (auth.expires as number) * 1000,
    clientEndpoint: auth.client_endpoint as string,
    serverEndpoint: auth.server_endpoint as string,
    memberId: auth.member_id as string,
  };
}
