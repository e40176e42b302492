"""Stage 1, the intermediate representation: outcomes, conditions, multilingual text,
the vocabulary of facts, and rules, versions and families. Immutable attrs values that
every later stage reads; this stage imports no other stage."""
