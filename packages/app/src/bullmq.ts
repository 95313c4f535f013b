// The @b24kit/app/bullmq entry point: the cluster profile's job queue (BullMQ on Redis).

export type { RedisConnection } from "./queue/bullmq/redis-client.js";
export { type BullmqJobQueueOptions, bullmqJobQueue } from "./queue/bullmq-job-queue.js";
