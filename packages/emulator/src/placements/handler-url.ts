/**
 * The portal's check of a handler URL (core HandlerHelper::checkCallback, used by
 * placement.bind and imbot.register): a host with a dot not in first position,
 * else ERROR_WRONG_HANDLER_URL (so `localhost` is refused, as on a real portal:
 * use 127.0.0.1); then an http or https scheme, else ERROR_UNSUPPORTED_PROTOCOL.
 * Plain http is refused too when `--require-https` (settings.requireHttpsHandlers) is on.
 */
export interface HandlerUrlProblem {
  code: "ERROR_WRONG_HANDLER_URL" | "ERROR_UNSUPPORTED_PROTOCOL";
  description: string;
}

export function handlerUrlProblem(url: string, requireHttps: boolean): HandlerUrlProblem | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { code: "ERROR_WRONG_HANDLER_URL", description: "Wrong handler URL" };
  }
  if (parsed.hostname.indexOf(".") <= 0) {
    return { code: "ERROR_WRONG_HANDLER_URL", description: "Wrong handler URL" };
  }
  const https = parsed.protocol === "https:";
  if ((!https && parsed.protocol !== "http:") || (requireHttps && !https)) {
    return { code: "ERROR_UNSUPPORTED_PROTOCOL", description: "Unsupported handler protocol" };
  }
  return undefined;
}
