import qs from "qs";
import { AppError } from "../core/app-error.js";
import { rawBodyOf } from "../core/raw-body.js";

/** Explicit qs limits: its defaults silently reshape deep or long forms (research/stack.md trap 7). */
const QS_LIMITS = { depth: 10, arrayLimit: 1000, parameterLimit: 5000, allowPrototypes: false } as const;

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = Record<string, FormValue>;

/**
 * The body of an inbound request as the portal sends it: form-encoded with
 * PHP bracket keys (`auth[member_id]`, `data[FIELDS][ID]`) or JSON. Bodies over
 * `limitBytes` are refused while they stream in, before any parsing.
 */
export async function readBody(request: Request, limitBytes: number): Promise<FormObject> {
  const text = await readText(request, limitBytes);
  if (!text) return {};
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as FormObject) : {};
    } catch {
      throw new AppError("BAD_REQUEST", 400, "The request body is not valid JSON");
    }
  }
  const keys = text.split("&").length;
  if (keys > QS_LIMITS.parameterLimit)
    throw new AppError("BAD_REQUEST", 400, `The form has more than ${QS_LIMITS.parameterLimit} fields`);
  return qs.parse(text, QS_LIMITS) as FormObject;
}

/** The body as text, refused past `limitBytes` (read from the adapter's bytes when it handed them over). */
export async function readText(request: Request, limitBytes: number): Promise<string> {
  const raw = rawBodyOf(request);
  if (raw) {
    if (raw.byteLength > limitBytes) throw tooLarge(limitBytes);
    return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) return "";
  // A declared length within the limit: one read (cheaper than pulling chunks), the size checked after.
  if (Number.isFinite(declared) && request.headers.has("content-length")) {
    const bytes = await request.arrayBuffer();
    if (bytes.byteLength > limitBytes) throw tooLarge(limitBytes);
    return Buffer.from(bytes).toString("utf8");
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = (limit: number) =>
  new AppError("PAYLOAD_TOO_LARGE", 413, `The request body is larger than ${limit} bytes`);

/** A form field as a string ('' when absent or not a string). */
export function field(form: FormObject, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value : "";
}

/** A nested form object (`auth`, `data`), {} when absent. */
export function group(form: FormObject, name: string): FormObject {
  const value = form[name];
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}
