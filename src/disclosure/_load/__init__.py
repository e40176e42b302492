"""Stage 2, loading: YAML 1.2 text -> schema-validated document -> IR, with the amendment
chain of versions resolved; and the cache of validated documents."""
