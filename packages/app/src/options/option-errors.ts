import { AppError } from "../core/app-error.js";

/**
 * An app.option / user.option value larger than the configured limit (default
 * 32 KB, `optionLimitBytes`), refused before the portal is called. The portal
 * documents no limit (protocol.md §11), so the guard keeps options small; data
 * of any size belongs in `tenantKv`.
 */
export class OptionTooLargeError extends AppError {
  constructor(
    readonly option: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
    where: "app.option" | "user.option",
  ) {
    super(
      "OPTION_TOO_LARGE",
      413,
      `${where} "${option}" is ${sizeBytes} bytes as JSON, over the ${limitBytes}-byte limit: keep options small and ` +
        "put larger data in tenantKv(store, memberId), or raise B24KIT_OPTION_LIMIT_BYTES",
    );
    this.name = "OptionTooLargeError";
  }
}

/** A key or value options and the key-value store cannot take (an empty key, a value JSON cannot carry). */
export class InvalidOptionError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("OPTION_INVALID", 400, message, options);
    this.name = "InvalidOptionError";
  }
}
