-- The W3C trace context of the request that wrote each event (docs/operations.md, "Traces"):
-- the relay publishes it as the message's `traceparent` header, so one trace runs from the
-- request through the outbox to every subscriber. NULL when tracing is off.
ALTER TABLE {schema}.outbox ADD COLUMN traceparent text;
