-- Indexes that let PostgreSQL serve the filters FerretDB 1.x hands it (an operator's step for a
-- MindSpaces store on FerretDB with the PostgreSQL handler; MongoDB itself needs none of this).
--
-- FerretDB 1.24 passes a find's top-level equality conditions to PostgreSQL as
-- `_jsonb -> 'field' @> 'value'`, and makes its own indexes as B-trees on `_jsonb -> 'field'`,
-- which cannot serve `@>`: every find, update and delete by a filter scans the whole table and
-- decodes what matches. A GIN index on the same expression serves `@>`, also where the field holds
-- an array (`days`). This makes one for the first field of every index the services declared
-- (FerretDB's own metadata lists them, in declared order, under `$s`) and for `_id`. Without
-- `fastupdate`: GIN would otherwise queue new entries in a pending list that every lookup reads
-- through until a vacuum merges it, and a busy table's reads slowed below a table scan's.
--
-- These indexes serve only a statement planned with its values. FerretDB prepares its statements
-- with the field's name as a parameter too (`_jsonb -> $1 @> $2`), and PostgreSQL switches a
-- prepared statement to a generic plan when that looks as cheap, which it does while a table is
-- small or its statistics are old: a generic plan cannot use an expression index, and every
-- lookup by `_id` became a scan of the whole table (60-140 ms at 40,000 reservations, where the
-- index answers in 0.1 ms). So FerretDB must connect with `plan_cache_mode=force_custom_plan` in
-- its --postgresql-url (pgx sends it as a setting of each connection; see the README), and
-- PostgreSQL's autovacuum must stay on (its default) so the planner's statistics follow the
-- tables.
--
-- Run it after the services have started once (they declare their indexes at start), and again
-- after an upgrade that declares new ones; it only adds what is missing:
--   psql "postgres://HOST/DATABASE" -v ON_ERROR_STOP=1 -v schema=mindspaces \
--        -f deploy/ferretdb/pushdown-indexes.sql
-- `schema` is the MongoDB database name in MONGO_URI (FerretDB makes one PostgreSQL schema per
-- database). Measured in BENCHMARKS.md ("FerretDB's pushed-down filters served by an index").

SELECT set_config('mindspaces.ferretdb_schema', :'schema', false);

DO $$
DECLARE
  target_schema text := current_setting('mindspaces.ferretdb_schema');
  collection jsonb;
  declared jsonb;
  field text;
  made int := 0;
BEGIN
  IF to_regclass(format('%I._ferretdb_database_metadata', target_schema)) IS NULL THEN
    RAISE EXCEPTION 'no FerretDB database "%" here: start the services once first, or check the schema name', target_schema;
  END IF;
  FOR collection IN EXECUTE format('SELECT _jsonb FROM %I._ferretdb_database_metadata', target_schema)
  LOOP
    FOR declared IN
      SELECT value FROM jsonb_array_elements(collection -> '$s' -> 'p' -> 'indexes' -> 'i')
    LOOP
      -- The index's fields in declared order; equality on the first is what a query pushes down.
      field := declared -> '$s' -> 'p' -> 'key' -> '$s' -> '$k' ->> 0;
      CONTINUE WHEN field IS NULL;
      EXECUTE format(
        'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops) WITH (fastupdate = off)',
        left(collection ->> 'table', 40) || '_eq_' || left(md5(field), 8),
        target_schema,
        collection ->> 'table',
        field
      );
      made := made + 1;
    END LOOP;
  END LOOP;
  RAISE NOTICE 'FerretDB pushdown indexes present for % declared indexes in schema %', made, target_schema;
END
$$;
