import { type EmulatorHandle, startEmulator } from "@b24kit/emulator";

/** Starts an emulator on a free port with the test CA (trusted through NODE_EXTRA_CA_CERTS). */
export function startTestEmulator(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, caDir: process.env.B24KIT_TEST_CA_DIR, quiet: true, ...options });
}

export interface RestReply {
  status: number;
  // Tests read deep into answers; `any` keeps them short (tests may use it, sources may not).
  body: Record<string, any> & { error?: string; error_description?: string };
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

/**
 * An access token of `userId` for an installed app, the way an app gets one for a user: the portal's
 * /oauth/authorize/ acting as that UI user, then the code exchanged at the OAuth server (§1.2–1.3).
 */
export async function userToken(
  emu: EmulatorHandle,
  memberId: string,
  app: { clientId: string; clientSecret: string },
  userId: number,
): Promise<{ access_token: string; user_id: number }> {
  const portal = emu.world.portal(memberId)!;
  await control(emu, "PATCH", `portals/${memberId}`, { uiUserId: userId });
  try {
    const res = await fetch(`https://${portal.domain}/oauth/authorize/?client_id=${app.clientId}`, {
      redirect: "manual",
    });
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const tok = await fetch(`${emu.authUrl}oauth/token/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
      }).toString(),
    });
    return (await tok.json()) as { access_token: string; user_id: number };
  } finally {
    await control(emu, "PATCH", `portals/${memberId}`, { uiUserId: 1 });
  }
}
