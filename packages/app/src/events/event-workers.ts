import type { BotHandlers } from "../bots/bot-handlers.js";
import { dispatchBotEvent } from "../bots/dispatch-bot-event.js";
import type { Runtime } from "../core/runtime.js";
import type { JobConsumer, JobQueue } from "../queue/job-queue.js";
import type { RobotHandlers } from "../robots/robot-types.js";
import { EVENT_JOB } from "./event-job.js";
import type { EventMetrics } from "./event-metrics.js";
import { createEventRunner } from "./event-runner.js";
import type { EventHandlers } from "./event-types.js";
import { startOfflineTicks } from "./offline-ticks.js";
import { type ReceiveInput, receiveDirectly } from "./receive-directly.js";

export interface EventWorkersOptions {
  queue?: JobQueue;
  events?: EventHandlers;
  bots?: BotHandlers;
  robots?: RobotHandlers;
  offlineDrainIntervalMs?: number;
  maxLimitWaitMs?: number;
}

/**
 * The worker side of an app: the runner every consumer of this process uses,
 * `work()` to start consumers (with the offline-queue ticks), `receive()` for
 * one event without the queue, and `stop()` for all of them.
 */
export function eventWorkers(rt: Runtime, metrics: EventMetrics, options: EventWorkersOptions) {
  const runner = createEventRunner({
    rt,
    handlers: options.events ?? {},
    ...(options.bots ? { bots: (input) => dispatchBotEvent(input, options.bots ?? {}) } : {}),
    ...(options.robots ? { robots: options.robots } : {}),
    metrics,
    enqueue: async (job) => {
      const queued = (await options.queue?.enqueue(job)) ?? false;
      if (job.kind === EVENT_JOB)
        metrics.received(String((job.payload as { event?: string }).event), "offline", queued);
      return queued;
    },
    authConnector: rt.authConnector,
    ...(options.maxLimitWaitMs !== undefined ? { maxLimitWaitMs: options.maxLimitWaitMs } : {}),
  });
  const consumers = new Set<JobConsumer>();

  return {
    work(workOptions: { concurrency?: number } = {}): JobConsumer {
      const queue = options.queue;
      if (!queue) throw new Error("This app has no queue: pass `queue` to createApp to run workers");
      const consumer = queue.consume(runner, { concurrency: workOptions.concurrency ?? 4 });
      const ticks = startOfflineTicks({
        rt,
        queue,
        intervalMs: options.offlineDrainIntervalMs ?? 5 * 60_000,
      });
      const handle: JobConsumer = {
        async stop() {
          consumers.delete(handle);
          ticks.stop();
          await consumer.stop();
        },
      };
      consumers.add(handle);
      return handle;
    },
    receive: (input: ReceiveInput) => receiveDirectly(runner, input, rt.now),
    async stop(): Promise<void> {
      await Promise.all([...consumers].map((c) => c.stop()));
    },
  };
}
