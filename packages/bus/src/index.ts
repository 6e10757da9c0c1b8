export { connectBus, type Bus, type ConnectBusOptions } from './connection/bus-connection.ts';
export { EVENT_HEADERS, EventValidationError, validateEvent, type KnownEvent } from './publish/event-publisher.ts';
export { provisionTopology, TopologyConflictError, type ProvisionOptions } from './topology/topology-provisioner.ts';
export { DUPLICATE_WINDOW_MS, type ConsumerOverride, type ConsumerOverrides } from './topology/topology-config.ts';
export {
  consume,
  type ConsumeOptions,
  type ConsumerHandle,
  type DeliveryContext,
  type EventHandler,
} from './consume/event-consumer.ts';
export {
  consumeBatches,
  type BatchContext,
  type BatchDelivery,
  type BatchHandler,
  type ConsumeBatchesOptions,
} from './consume/batch-consumer.ts';
export { PermanentError, TransientError } from './consume/consume-errors.ts';
export { exponentialBackoff, type BackoffFn } from './consume/backoff.ts';
export { announceService, type AnnounceInfo, type ServiceAnnouncement } from './discovery/service-announcer.ts';
export { listInstances, type ListInstancesOptions } from './discovery/instance-lister.ts';
export {
  openSettings,
  putSetting,
  SettingRefusedError,
  SETTINGS_HISTORY,
  type SettingsStore,
} from './settings/settings-store.ts';
export { RpcError } from './rpc/rpc-error.ts';
export { answerRpc, serveRpc, type RpcContext, type RpcHandler } from './rpc/rpc-server.ts';
export { callRpc, type CallOptions } from './rpc/rpc-client.ts';
export { dropNamespace } from './topology/namespace-removal.ts';
export {
  DeadLetterNotFoundError,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  retryDeadLetter,
  type DeadLetter,
  type DeadLetterSummary,
  type ListDeadLettersOptions,
} from './dead-letters/dead-letter-operations.ts';
export {
  EventFilterError,
  readEvents,
  streamFilters,
  type ReadEventsOptions,
  type StreamedEvent,
} from './ops/event-history.ts';
export {
  countDeadLetters,
  platformStatus,
  type ConsumerStatus,
  type InstanceStatus,
  type PlatformStatus,
  type StreamStatus,
} from './ops/platform-status.ts';
export {
  correlationJourney,
  type CorrelationJourney,
  type CorrelationJourneyOptions,
  type JourneyStep,
} from './ops/correlation-journey.ts';
