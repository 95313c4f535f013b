export { auditJsonLine, formatAuditTable, parseTimeBound, shortDetail } from "./audit/audit-format.js";
export { type AuditHookSet, auditHooks, auditRefresh, type CorrelationSource } from "./audit/audit-hooks.js";
export {
  type AuditDropReason,
  AuditLog,
  type AuditLogLogger,
  type AuditLogOptions,
  type AuditLogStats,
  type AuditRecord,
} from "./audit/audit-log.js";
export {
  AUDIT_KINDS,
  type AuditLogQuery,
  auditQuery,
  DEFAULT_AUDIT_LIMIT,
  MAX_AUDIT_LIMIT,
  queryAuditLog,
} from "./audit/audit-query.js";
export {
  type AuditRetention,
  type AuditRetentionOptions,
  pruneAuditLog,
  type RetentionClock,
  startAuditRetention,
} from "./audit/audit-retention.js";
export { correlationIdFrom, isSaneCorrelationId, newCorrelationId } from "./audit/correlation-id.js";
export { type InboundRecord, type InboundSurface, recordInbound } from "./audit/inbound-audit.js";
export { mergeClientHooks } from "./audit/merge-client-hooks.js";
export { type OAuthRecord, recordOAuth } from "./audit/oauth-audit.js";
export { type ParsedCommand, parseCommand } from "./bots/bot-commands.js";
export type {
  BotCommandContext,
  BotDeleteContext,
  BotHandler,
  BotHandlerSet,
  BotHandlers,
  BotJoinContext,
  BotMessageContext,
  BotReply,
  BotReplyOptions,
} from "./bots/bot-handlers.js";
export {
  BOT_EVENTS,
  type BotAuthBlock,
  type BotEventName,
  type BotEventUserData,
  type BotJoinParams,
  type BotMessageParams,
  type OnImBotDeleteData,
  type OnImBotJoinChatData,
  type OnImBotMessageAddData,
  type RoutedBotEvent,
} from "./bots/bot-payloads.js";
export { withoutBotTokens } from "./bots/bot-secrets.js";
export { type BotDispatchOutcome, type BotEventInput, dispatchBotEvent } from "./bots/dispatch-bot-event.js";
export { type BotEvent, type BotRef, type BotUser, parseBotEvent } from "./bots/parse-bot-event.js";
export {
  type Capabilities,
  type FeatureCapability,
  type MethodCapability,
  type PortalRefusal,
  parseCapabilities,
} from "./capabilities/capabilities.js";
export { type CapabilityNoticeOptions, capabilityNotice } from "./capabilities/capability-notice.js";
export { CapabilityService, type CapabilityServiceOptions } from "./capabilities/capability-service.js";
export type { CapabilityReason, GapWords } from "./capabilities/capability-words.js";
export {
  type CapabilityCheck,
  type CapabilityExplanation,
  type CapabilityGap,
  checkMethod,
  explainCapabilities,
} from "./capabilities/explain.js";
export { type GuardableClient, type GuardedClient, guardedCall } from "./capabilities/guarded-call.js";
export { MissingCapabilityError, missingCapabilityFrom } from "./capabilities/missing-capability-error.js";
export {
  ALWAYS_PROBED_FEATURES,
  type ProbeClient,
  type ProbeManifest,
  type ProbeOptions,
  probeCapabilities,
} from "./capabilities/probe.js";
export { type AppConfig, type AppConfigInput, configFromEnv, parseAppConfig } from "./config/app-config.js";
export { CONSOLE_AUDIT_KEY } from "./console/console-deps.js";
export type { ConsoleOptions } from "./console/console-routes.js";
export type { ConsoleOperator } from "./console/console-session.js";
export {
  hashOperatorPassword,
  type ScryptCost,
  verifyOperatorPassword,
} from "./console/operator-password.js";
export { AppError, VerificationError } from "./core/app-error.js";
export { type B24App, type CreateAppOptions, createApp } from "./core/create-app.js";
export type { ApiContext, ApiHandler, FrameContext, FrameHandler } from "./core/handler-types.js";
export type {
  CrmEntityEventData,
  EventContext,
  EventData,
  EventDataMap,
  EventHandler,
  EventHandlers,
  TaskEventData,
} from "./events/event-types.js";
export type { ReceiveInput } from "./events/receive-directly.js";
export { eventKey } from "./events/stored-event.js";
export type {
  FieldTypeContext,
  FieldTypeField,
  FieldTypeHandler,
  FieldTypeHandlers,
} from "./field-types/field-type-types.js";
export type { PortalAppInfo, PortalUser } from "./inbound/portal-check.js";
export {
  contextLogger,
  createLogger,
  LOG_FIELDS,
  type Logger,
  type LoggerOptions,
  scrubLogLine,
} from "./logging/logger.js";
export { prettyLine } from "./logging/pretty-stream.js";
export {
  isSecretField,
  REDACTED,
  redactSecrets,
  SECRET_FIELD_NAMES,
  scrubText,
} from "./logging/secret-redaction.js";
export {
  type AppManifest,
  type AppManifestInput,
  BOT_COLORS,
  MAX_BOTS,
  MAX_FIELD_TYPE_CODE,
  type ManifestBot,
  type ManifestFieldType,
  type ManifestRobot,
  parseManifest,
} from "./manifest/app-manifest.js";
export type { ApplyOptions } from "./manifest/apply-manifest.js";
export {
  type ApplyReport,
  applyManifest,
  type HandlerUrls,
  handlerUrls,
  LIFECYCLE_EVENTS,
} from "./manifest/apply-manifest.js";
export {
  type MetricsSampler,
  type MetricsSamplerOptions,
  snapshotRegistry,
  startMetricsSampler,
} from "./metrics/metrics-sampler.js";
export type { JsonValue } from "./options/json-value.js";
export { InvalidOptionError, OptionTooLargeError } from "./options/option-errors.js";
export {
  appOptions,
  DEFAULT_OPTION_LIMIT_BYTES,
  type PortalOptions,
  type PortalOptionsSettings,
  userOptions,
} from "./options/portal-options.js";
export { type TenantKv, tenantKv } from "./options/tenant-kv.js";
export {
  backoffDelay,
  DEFAULT_QUEUE_POLICY,
  type JobConsumer,
  type JobQueue,
  type JobRunner,
  type NewJob,
  type QueuedJob,
  type QueuePolicy,
  type QueueStats,
} from "./queue/job-queue.js";
export { applyRobots, type RobotApplyResult, robotFields } from "./robots/apply-robots.js";
export { parseRobotRequest, type RobotRequest } from "./robots/robot-request.js";
export {
  type RobotContext,
  type RobotDocument,
  type RobotHandler,
  type RobotHandlers,
  robotDocument,
} from "./robots/robot-types.js";
export { TokenCipher } from "./security/token-cipher.js";
export {
  createSessionSigner,
  type SessionClaims,
  type SessionSigner,
  type SessionSignerOptions,
  type SessionSubject,
} from "./session/frame-session.js";
export {
  createStateSigner,
  type StateClaims,
  type StateInput,
  type StateSigner,
  type StateSignerOptions,
} from "./session/oauth-state.js";
export { SessionError, type SessionErrorCode } from "./session/session-error.js";
export type { WallClock } from "./session/wall-clock.js";
export type { AdminStore, AppStore, TenantStore } from "./storage/app-store.js";
export { APP_STORE_MIGRATION_NAMES } from "./storage/migrations.js";
export type * from "./storage/records.js";
export {
  type DatabaseTarget,
  describeDatabaseUrl,
  parseDatabaseUrl,
  storeFromUrl,
} from "./storage/store-from-url.js";
export type { InstallInput, TenantService } from "./tenants/tenant-service.js";
export { canCallPortal, nextState, type TenantState, type TenantTransition } from "./tenants/tenant-state.js";
export type { ResealResult } from "./vault/reseal.js";
export { type ResealAllResult, TokenVault, type TokenVaultOptions } from "./vault/token-vault.js";
