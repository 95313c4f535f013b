/*
 * One abort listener per signal, whatever the number of calls waiting on it.
 * Callers often hand one long-lived AbortSignal to many concurrent calls; a
 * listener per call put 11 or more on it, and Node then prints
 * MaxListenersExceededWarning ("possible EventTarget memory leak") into the
 * app's logs. Each call registers here instead and removes itself when done.
 */

const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `fn` once when `signal` aborts; the returned function unregisters it. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = waiters.get(signal);
  if (!set) {
    const created = new Set<() => void>();
    waiters.set(signal, created);
    signal.addEventListener(
      "abort",
      () => {
        const due = [...created];
        created.clear();
        for (const run of due) run();
      },
      { once: true },
    );
    set = created;
  }
  const entry = () => fn();
  set.add(entry);
  const registered = set;
  return () => {
    registered.delete(entry);
  };
}
