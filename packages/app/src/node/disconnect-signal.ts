import type { ServerResponse } from "node:http";

/**
 * The signal that aborts when the client goes away before its answer is sent:
 * the app's work for it can stop (fetches made with this signal abort too).
 * Made only when the app asks for it; the close is watched from the start,
 * so a signal asked for after the client left is aborted already.
 */
export function disconnectSignal(response: ServerResponse): () => AbortSignal {
  let controller: AbortController | undefined;
  let gone = false;
  response.once("close", () => {
    if (response.writableFinished) return;
    gone = true;
    controller?.abort();
  });
  return () => {
    if (!controller) {
      controller = new AbortController();
      if (gone) controller.abort();
    }
    return controller.signal;
  };
}
