"""Stage 3, the backends that decide which rules of a version hold: the compiled evaluator,
the durable_rules engine, and the symbolic (decision-diagram) form."""
