/** Yields from several async generators as their values arrive; closing the result closes them all. */
export async function* mergeAsync<T>(generators: Array<AsyncGenerator<T>>): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) =>
    pending.set(
      index,
      generators[index]!.next().then((result) => ({ index, result })),
    );
  for (const [i] of generators.entries()) pull(i);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
      } else {
        pull(index);
        yield result.value;
      }
    }
  } finally {
    await Promise.allSettled(generators.map((g) => g.return(undefined)));
  }
}
