import { createWriteStream } from "node:fs";
import type { B24Client } from "@b24kit/rest";
import type { ExportProgress } from "./export-progress.js";

/** Where JSON lines go: a file (`--out`) or stdout. */
export interface RowSink {
  write(line: string): Promise<void>;
  close(): Promise<void>;
}

/** The id field `filter`/`select` use per method (fastList's own presets read the rows). */
const FILTER_ID: Record<string, string> = { "crm.item.list": "id" };
const ITEMS_KEY: Record<string, string> = { "crm.item.list": "items", "tasks.task.list": "tasks" };

export interface ExportOptions {
  method: string;
  params: Record<string, unknown>;
  /** Read n ID ranges at once (fastList `parallel`). */
  parallel: number;
  /** Ask for the total first (one request) so that progress can show it. */
  countFirst: boolean;
  signal: AbortSignal;
}

/**
 * Every row of a list method, one JSON object a line. By ID cursor
 * (`fastList`: 2,500 rows a request, each id once) unless the params order by
 * something other than ID, which only offset pages (`list`) keep.
 */
export async function exportRows(
  client: B24Client,
  options: ExportOptions,
  sink: RowSink,
  progress: ExportProgress,
): Promise<{ pager: "fastList" | "list" }> {
  const { method, params, signal } = options;
  const key = method.toLowerCase();
  const idKey = FILTER_ID[key] ?? "ID";
  const ordered = Object.entries((params.order as Record<string, unknown> | undefined) ?? {});
  const byId = ordered.every(
    ([k, dir]) => k.toUpperCase() === idKey.toUpperCase() && String(dir).toUpperCase() === "ASC",
  );
  if (options.countFirst) progress.total = await countRows(client, method, params, idKey, signal);
  const rows = byId
    ? client.fastList(method, params, {
        // With the total known here, fastList's own COUNT would be a second one.
        count: !options.countFirst,
        parallel: options.parallel,
        signal,
      })
    : client.list(method, params, { signal });
  for await (const row of rows) {
    await sink.write(`${JSON.stringify(row)}\n`);
    progress.tick();
  }
  return { pager: byId ? "fastList" : "list" };
}

/** `total` of the first page, asking for the id column only; undefined when the method gives none. */
async function countRows(
  client: B24Client,
  method: string,
  params: Record<string, unknown>,
  idKey: string,
  signal: AbortSignal,
): Promise<number | undefined> {
  const { order: _order, start: _start, ...rest } = params;
  const page = await client.call(method, { ...rest, select: [idKey], start: 0 }, { signal });
  if (typeof page.total === "number") return page.total;
  const items = ITEMS_KEY[method.toLowerCase()];
  return Array.isArray(page.result) && !items ? page.result.length : undefined;
}

/** A file written through a stream that waits for drain, so memory stays flat however many rows. */
export function fileSink(path: string): Promise<RowSink> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: "w" });
    stream.once("error", reject);
    stream.once("open", () => {
      stream.off("error", reject);
      resolve(streamSink(stream, true));
    });
  });
}

export function stdoutSink(stdout: NodeJS.WritableStream): RowSink {
  return streamSink(stdout, false);
}

function streamSink(stream: NodeJS.WritableStream, owned: boolean): RowSink {
  let failure: Error | undefined;
  stream.on("error", (error: Error) => {
    failure = error;
  });
  return {
    async write(line) {
      if (failure) throw failure;
      if (!stream.write(line)) {
        await new Promise<void>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          stream.once("error", onError);
          stream.once("drain", () => {
            stream.off("error", onError);
            resolve();
          });
        });
      }
    },
    close() {
      if (!owned) return Promise.resolve();
      return new Promise((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      });
    },
  };
}
