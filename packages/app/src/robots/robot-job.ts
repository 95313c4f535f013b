import type { NewJob } from "../queue/job-queue.js";
import type { RobotRequest } from "./robot-request.js";

export const ROBOT_JOB = "robot";

/** A robot's run as the queue keeps it: what the handler needs, and the token to answer with. */
export interface RobotJobPayload {
  code: string;
  workflowId: string;
  documentId: string[];
  properties: RobotRequest["properties"];
  eventToken: string;
  waitsForAnswer: boolean;
  userId?: number;
  receivedAt: number;
}

/** One job per run of a robot (the portal sends each run's POST once). */
export function robotJob(robot: RobotRequest, receivedAt: number): NewJob {
  const payload: RobotJobPayload = {
    code: robot.code,
    workflowId: robot.workflowId,
    documentId: robot.documentId,
    properties: robot.properties,
    eventToken: robot.eventToken,
    waitsForAnswer: robot.waitsForAnswer,
    ...(robot.userId ? { userId: robot.userId } : {}),
    receivedAt,
  };
  return {
    memberId: robot.memberId,
    id: `robot:${robot.code}:${robot.workflowId || robot.eventToken.slice(0, 64)}`.slice(0, 200),
    kind: ROBOT_JOB,
    payload: payload as never,
  };
}
