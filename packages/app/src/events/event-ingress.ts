import { withoutBotTokens } from "../bots/bot-secrets.js";
import type { EventRequest } from "../inbound/event-request.js";
import type { JobQueue } from "../queue/job-queue.js";
import { robotJob } from "../robots/robot-job.js";
import type { RobotRequest } from "../robots/robot-request.js";
import { type EventJobPayload, eventJob } from "./event-job.js";
import type { EventMetrics } from "./event-metrics.js";
import { eventSeconds } from "./stored-event.js";

/** What the routes need to hand a verified event to the workers. */
export interface EventIngress {
  /** Queues a verified event durably; resolves false when the same change is already queued. */
  accept(event: EventRequest): Promise<boolean>;
  /** Queues a verified robot run durably (robots/robot-job.ts). */
  acceptRobot(robot: RobotRequest): Promise<boolean>;
  rejected(reason: string): void;
}

/**
 * Online events into the queue: nothing but what the handlers need (no
 * token of the POST's auth block), keyed so that the offline copy of the
 * same change finds it there (events/stored-event.ts).
 */
export function eventIngress(queue: JobQueue, metrics: EventMetrics, now: () => number): EventIngress {
  return {
    async accept(event) {
      const receivedAt = now();
      const ts = eventSeconds(event.ts, receivedAt);
      // Bot events carry the bot's tokens inside data[BOT]: never stored (the tenant's client answers).
      const data = withoutBotTokens(event.data);
      const userId = Number(typeof event.auth.user_id === "string" ? event.auth.user_id : Number.NaN);
      const payload: EventJobPayload = {
        event: event.event,
        data,
        ts,
        source: "online",
        receivedAt,
        ...(Number.isInteger(userId) && userId > 0 ? { userId } : {}),
      };
      const queued = await queue.enqueue(eventJob(event.memberId, payload));
      metrics.received(event.event, "online", queued);
      return queued;
    },
    async acceptRobot(robot) {
      const queued = await queue.enqueue(robotJob(robot, now()));
      metrics.received(`ROBOT`, "online", queued);
      return queued;
    },
    rejected: (reason) => metrics.rejected(reason),
  };
}
