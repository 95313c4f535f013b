import { randomBytes } from "node:crypto";

/** Random lower-case hex, the shape of member_id, tokens and APP_SID on a real portal. */
export function hex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** Webhook codes look like `8g9l071eismy9q2l`: 16 lower-case alphanumerics. */
export function webhookCode(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join("");
}
