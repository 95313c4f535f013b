import { readFile } from "node:fs/promises";
import { encodePortalForm } from "@b24kit/app/testing";

/** What `b24kit replay` changes in a saved event before sending it again. */
export interface ReplayOverrides {
  memberId?: string;
  applicationToken?: string;
  /** Unix seconds for `ts`. */
  ts?: number;
}

export interface ReplayPayload {
  /** The bytes to POST. */
  body: Uint8Array<ArrayBuffer>;
  /** `event`, for the summary line ('' if the payload has none). */
  event: string;
  memberId: string;
  /** Every token value in the body, to hide from anything printed. */
  secrets: string[];
  /** `form`: sent as saved (bar overrides); `json`: encoded as the portal would. */
  source: "form" | "json";
}

/**
 * A saved event payload (docs/protocol.md §7.5): the raw form body as the
 * portal sent it, posted byte for byte, or a JSON object (`{event, data, ts,
 * auth}`), encoded the way the portal encodes (PHP's http_build_query).
 */
export async function readReplayPayload(file: string, overrides: ReplayOverrides): Promise<ReplayPayload> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(readError(file, error));
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") throw new Error(`${file} is empty`);
  if (text.trimStart().startsWith("{")) return fromJson(file, text, overrides);
  return fromForm(file, bytes, overrides);
}

function readError(file: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return `no such file: ${file}`;
  if (code === "EISDIR") return `${file} is a directory, not a saved payload`;
  if (code === "EACCES" || code === "EPERM") return `cannot read ${file}: permission denied`;
  return `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`;
}

function fromJson(file: string, text: string, overrides: ReplayOverrides): ReplayPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} starts like JSON but does not parse: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new Error(`${file}: a JSON payload must be one object ({"event": …, "data": …, "auth": …})`);
  const payload = { ...(value as Record<string, unknown>) };
  const auth = isMap(payload.auth) ? { ...payload.auth } : {};
  if (overrides.memberId !== undefined) auth.member_id = overrides.memberId;
  if (overrides.applicationToken !== undefined) auth.application_token = overrides.applicationToken;
  if (overrides.memberId !== undefined || overrides.applicationToken !== undefined) payload.auth = auth;
  if (overrides.ts !== undefined) payload.ts = overrides.ts;
  let body: string;
  try {
    body = encodePortalForm(payload);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return described(new TextEncoder().encode(body), "json");
}

/**
 * A form body stays as saved, pair for pair: an override replaces only its own
 * pair (or is added at the end). A line break at the end of the file is the
 * editor's — a form body has none of its own (they are %0A-encoded).
 */
function fromForm(file: string, bytes: Buffer, overrides: ReplayOverrides): ReplayPayload {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end -= 1;
  const raw = bytes.subarray(0, end);
  const text = raw.toString("utf8");
  if (/\s/.test(text) || !text.includes("="))
    throw new Error(
      `${file} is neither a JSON object nor a form-encoded body (key=value&…, as the portal sent it)`,
    );
  const replace: Array<[string, string | number | undefined]> = [
    ["auth[member_id]", overrides.memberId],
    ["auth[application_token]", overrides.applicationToken],
    ["ts", overrides.ts],
  ];
  if (replace.every(([, value]) => value === undefined)) return described(new Uint8Array(raw), "form");
  const pairs = text.split("&");
  for (const [key, value] of replace) {
    if (value === undefined) continue;
    const pair = encodePortalForm({ [key]: value });
    const at = pairs.findIndex((p) => decodeFormComponent(p.split("=", 1)[0] ?? "") === key);
    if (at === -1) pairs.push(pair);
    else pairs[at] = pair;
  }
  return described(new TextEncoder().encode(pairs.join("&")), "form");
}

function described(body: Uint8Array<ArrayBuffer>, source: ReplayPayload["source"]): ReplayPayload {
  const fields = new URLSearchParams(Buffer.from(body).toString("utf8"));
  const secrets = [...fields]
    .filter(([key]) => /token|AUTH_ID|REFRESH_ID|secret|password/i.test(key))
    .map(([, value]) => value)
    .filter((value) => value.length >= 4);
  return {
    body,
    event: fields.get("event") ?? "",
    memberId: fields.get("auth[member_id]") ?? "",
    secrets,
    source,
  };
}

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
