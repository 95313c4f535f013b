import { PRIORITY_LIMIT } from "bullmq";
import type { Redis } from "ioredis";
import { escapePart } from "./job-key.js";

// Deletes the counter at zero so idle tenants leave no keys, and never goes below zero.
const DECREMENT = `local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) return 0 end
return n`;

/**
 * Each tenant's number of pending jobs, kept in Redis beside the queue: a new
 * job's BullMQ priority is its tenant's count (lower runs sooner), so a tenant
 * with a backlog of 300 gets priority ~300 for its next job while another
 * tenant's first job gets 1 (https://docs.bullmq.io/guide/jobs/prioritized).
 * Only the order depends on it: a count left high by a worker that died between
 * finishing a job and decrementing costs that tenant some priority until it drains.
 */
export class TenantBacklog {
  constructor(
    private readonly redis: Redis,
    /** `${prefix}:${queueName}`: the counters live under the queue's own keys. */
    private readonly keyBase: string,
  ) {}

  /** Counts one more pending job; returns the BullMQ priority for it. */
  async add(memberId: string): Promise<number> {
    const count = await this.redis.incr(this.#key(memberId));
    return Math.min(Math.max(count, 1), PRIORITY_LIMIT);
  }

  /** One pending job of the tenant is done or dead (or was never stored). */
  async remove(memberId: string): Promise<void> {
    await this.redis.eval(DECREMENT, 1, this.#key(memberId));
  }

  #key(memberId: string): string {
    return `${this.keyBase}:b24kit-backlog:${escapePart(memberId)}`;
  }
}
