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

/** Calls a REST method with an app's access token. */
export function appCall(
  endpoint: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
) {
  return call(endpoint, method, { ...params, auth: token });
}
