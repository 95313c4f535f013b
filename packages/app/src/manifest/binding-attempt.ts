import { B24Error } from "@b24kit/rest";

/** A binding the portal refused (a module off, a plan without it): reported, the rest still applies. */
export interface BindingFailure {
  binding: string;
  code: string;
  message: string;
}

/** Notes the portal's refusal of `binding`; anything that is not the portal's answer is rethrown. */
export function noteRefusal(failed: BindingFailure[], binding: string, error: unknown): void {
  if (!(error instanceof B24Error)) throw error;
  failed.push({ binding, code: error.code, message: error.message });
}

/** Runs one bind or unbind: done, `binding` goes to `done`; refused, to `failed`. */
export async function attemptBinding(
  failed: BindingFailure[],
  binding: string,
  done: string[],
  fn: () => Promise<unknown>,
): Promise<void> {
  try {
    await fn();
    done.push(binding);
  } catch (error) {
    noteRefusal(failed, binding, error);
  }
}
