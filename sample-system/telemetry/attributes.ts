// Attribute and metric names: OpenTelemetry semantic conventions (messaging, db, http are
// incubating in the JS package, so they are spelled here) plus the sample system's own `job.*`.
export const ATTR = {
  jobId: "job.id",
  jobAttempt: "job.attempt",
  userId: "enduser.id",
  messagingSystem: "messaging.system",
  messagingDestination: "messaging.destination.name",
  messagingMessageId: "messaging.message.id",
  messagingOperationType: "messaging.operation.type",
  messagingOperationName: "messaging.operation.name",
  messagingDeliveryTag: "messaging.rabbitmq.message.delivery_tag",
  dbSystem: "db.system.name",
  dbOperation: "db.operation.name",
  dbCollection: "db.collection.name",
  dbQuerySummary: "db.query.summary",
  dbPoolName: "db.client.connection.pool.name",
  dbPoolState: "db.client.connection.state",
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  httpStatus: "http.response.status_code",
  urlPath: "url.path",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  gpuId: "hw.id",
  workerId: "sample.worker.id",
  cacheResult: "sample.cache.result",
  outcome: "sample.outcome",
  peerService: "peer.service",
} as const;

/** Header names carried on every queue message. */
export const HEADER = {
  traceparent: "traceparent",
  tracestate: "tracestate",
  jobId: "job-id",
  jobAttempt: "job-attempt",
  enqueuedAtMs: "x-enqueued-at-ms",
  // The previous attempt's consumer span, so the next attempt can link to it.
  previousAttempt: "x-previous-attempt-traceparent",
} as const;
