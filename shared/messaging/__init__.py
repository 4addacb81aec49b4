"""Events over RabbitMQ: envelope, outbox and relay, consumers, dead letters, replay, decision hooks."""
