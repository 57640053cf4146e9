DROP INDEX "submission_form_seq_idx";--> statement-breakpoint
DROP INDEX "submission_form_received_idx";--> statement-breakpoint
CREATE INDEX "submission_form_received_seq_idx" ON "submission" USING btree ("form_id","received_at","seq");--> statement-breakpoint
-- Filters on answers (`field.<id>=<value>`, JSON containment) are planned from this column's
-- histogram: the planner tests the wanted value against the sampled answers to estimate how many
-- rows hold it, and that estimate decides between the GIN index (rare values) and walking the
-- (form_id, received_at, seq) index until a page is full (common values). The default target (100)
-- cannot tell a value held by 0.1% of the rows from one held by 1%; 1000 can.
ALTER TABLE "submission" ALTER COLUMN "answers" SET STATISTICS 1000;--> statement-breakpoint
ANALYZE "submission";--> statement-breakpoint
ALTER TABLE "form" ADD COLUMN "submission_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE "submission_rollup" (
	"form_id" uuid NOT NULL,
	"field_id" text NOT NULL,
	"kind" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"n" bigint NOT NULL
);--> statement-breakpoint
CREATE TABLE "submission_rollup_field" (
	"form_id" uuid NOT NULL,
	"field_id" text NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "submission_rollup_field_form_id_field_id_kind_pk" PRIMARY KEY("form_id","field_id","kind")
);--> statement-breakpoint
ALTER TABLE "submission_rollup" ADD CONSTRAINT "submission_rollup_form_id_form_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."form"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_rollup_field" ADD CONSTRAINT "submission_rollup_field_form_id_form_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."form"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "submission_rollup_uq" ON "submission_rollup" USING btree ("form_id","field_id","kind","type",md5("value"));--> statement-breakpoint
-- form.submission_count and the summary's tallies (submission_rollup) stay exact because the
-- statements that change `submission` maintain them themselves: statement-level triggers with
-- transition tables see exactly the rows a statement inserted or deleted (an INSERT … ON CONFLICT
-- DO NOTHING retry, or an id kept out by its tombstone, inserts nothing and adds nothing), and
-- record what they add in the same statement, hence the same transaction: a batch that rolls back
-- takes its part with it, and readers never see rows without their count or the reverse. Whoever
-- writes (the group-commit writer, an erasure, a cascade from a deleted form, a bulk load, an older
-- replica during a rolling deploy) keeps them exact.
--
-- What a statement adds is appended to submission_rollup_delta (kind 'count' for the number of
-- rows, the tally rows otherwise), never added to a shared row: concurrent batches for one form
-- would otherwise queue on the form's counter and its hottest tallies until each commits, which
-- cost writes about 28% (docs/performance.md). Readers add a form's few delta rows to its folded
-- values in one statement (one snapshot); submission_rollup_fold() moves a form's deltas into
-- form.submission_count and submission_rollup in one transaction, so a reader sees them on one
-- side or the other, never both or neither. The writer folds each form it writes at most about
-- once a second.
--
-- Locked first: an INSERT already running without the triggers must finish before the recount
-- below, and none may start until this commits, or its rows would be missed.
LOCK TABLE "submission" IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
-- What one submission adds to the tallies is submission_rollup_rows(), the single definition the
-- triggers, the catch-up at publish, this migration's first count and the filtered summary (which
-- counts only the rows its filters select) all use. Publishing is locked out too while the tallies
-- are first counted.
LOCK TABLE "form_version" IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
CREATE TABLE "submission_rollup_delta" (
	"form_id" uuid NOT NULL,
	"field_id" text NOT NULL,
	"kind" text NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"n" bigint NOT NULL
);--> statement-breakpoint
ALTER TABLE "submission_rollup_delta" ADD CONSTRAINT "submission_rollup_delta_form_id_form_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."form"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_rollup_delta_form_kind_idx" ON "submission_rollup_delta" USING btree ("form_id","kind");--> statement-breakpoint
-- The tally rows of one submission's answers: every field it answers (`answered`, as `answers ?
-- field`), the value of each tracked field (`value`: JSON type, and text as `answers->>field`) and
-- each element of each tracked list field (`element`). `valued`/`listed` are the tracked fields.
CREATE FUNCTION submission_rollup_rows(answers jsonb, answered boolean, valued text[], listed text[])
RETURNS TABLE (field_id text, kind text, type text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k, 'answered', '', ''
  FROM jsonb_object_keys(CASE WHEN answered AND jsonb_typeof(answers) = 'object' THEN answers ELSE '{}' END) AS k
  UNION ALL
  SELECT k, 'value', coalesce(jsonb_typeof(answers -> k), ''), coalesce(answers ->> k, '')
  FROM unnest(valued) AS k WHERE jsonb_typeof(answers) = 'object' AND answers ? k
  UNION ALL
  SELECT k, 'element', coalesce(jsonb_typeof(e), ''), coalesce(e #>> '{}', '')
  FROM unnest(listed) AS k,
       jsonb_array_elements(CASE WHEN jsonb_typeof(answers -> k) = 'array' THEN answers -> k ELSE '[]' END) AS e
$$;--> statement-breakpoint
-- The fields of a definition whose values (choices, yes/no, numbers, ratings) or elements
-- (multiple choice) are tallied.
CREATE FUNCTION submission_rollup_tracked(definition jsonb)
RETURNS TABLE (field_id text, kind text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT f ->> 'id',
         CASE WHEN f ->> 'type' = 'multiple_choice' THEN 'element' ELSE 'value' END
  FROM jsonb_path_query(definition, '$.pages[*].fields[*]') AS f
  WHERE f ->> 'type' IN ('single_choice', 'dropdown', 'yes_no', 'consent', 'number', 'rating', 'multiple_choice')
    AND f ->> 'id' IS NOT NULL
$$;--> statement-breakpoint
-- Appends what these rows (form ids and answers, element by element) add to (sign 1) or take off
-- (sign -1) their forms' counts and tallies, for forms that still exist (a deleted form takes its
-- deltas along). The forms' rows are locked FOR KEY SHARE first: a shared lock (concurrent batches
-- never wait for each other), which a publish that starts tracking a field waits for with FOR
-- UPDATE while it counts the rows already there (submission_rollup_track_version), so a statement
-- reads the tracked fields either before that count (which then includes its rows, committed) or
-- after it (and tallies the new field itself). plpgsql, so its plan is cached per connection.
CREATE FUNCTION submission_rollup_append(form_ids uuid[], answers jsonb[], sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  locked uuid[];
BEGIN
  SELECT array_agg(id ORDER BY id) INTO locked FROM (
    SELECT f.id FROM form f WHERE f.id = ANY(form_ids) ORDER BY f.id FOR KEY SHARE
  ) AS live;
  IF locked IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO submission_rollup_delta (form_id, field_id, kind, type, value, n)
  SELECT c.form_id, '', 'count', '', '', sign * count(*)
  FROM unnest(form_ids) AS c(form_id)
  WHERE c.form_id = ANY(locked)
  GROUP BY c.form_id
  UNION ALL
  SELECT c.form_id, x.field_id, x.kind, x.type, x.value, sign * count(*)
  FROM unnest(form_ids, answers) AS c(form_id, answers)
  JOIN (
    -- Per form (still there): the fields it tracks.
    SELECT f AS form_id,
           coalesce(array_agg(t.field_id) FILTER (WHERE t.kind = 'value'), '{}') AS valued,
           coalesce(array_agg(t.field_id) FILTER (WHERE t.kind = 'element'), '{}') AS listed
    FROM unnest(locked) AS f LEFT JOIN submission_rollup_field t ON t.form_id = f
    GROUP BY f
  ) AS tracked ON tracked.form_id = c.form_id
  CROSS JOIN LATERAL submission_rollup_rows(c.answers, true, tracked.valued, tracked.listed) AS x
  GROUP BY c.form_id, x.field_id, x.kind, x.type, x.value;
END
$$;--> statement-breakpoint
CREATE FUNCTION submission_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A retry that arrives while its id is being erased waits (ON CONFLICT) for the erasure, then
  -- finds no row and would store the answers again: its NOT EXISTS on the tombstone was read
  -- before the erasure committed. This statement reads afresh, sees the tombstone and fails the
  -- batch as a serialization failure, which the writer retries (and the retry skips the id).
  IF EXISTS (SELECT 1 FROM inserted i JOIN submission_tombstone t ON t.id = i.id) THEN
    RAISE EXCEPTION 'a submission in this batch was erased while it was being written'
      USING ERRCODE = 'serialization_failure';
  END IF;
  PERFORM submission_rollup_append(array_agg(form_id), array_agg(answers), 1) FROM inserted;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION submission_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM submission_rollup_append(array_agg(form_id), array_agg(answers), -1) FROM deleted;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- The API never changes a stored submission; if anything ever does, the counts follow (the old
-- rows taken off, the new ones added).
CREATE FUNCTION submission_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM submission_rollup_append(array_agg(form_id), array_agg(answers), -1) FROM before_update;
  PERFORM submission_rollup_append(array_agg(form_id), array_agg(answers), 1) FROM after_update;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION submission_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE form SET submission_count = 0 WHERE submission_count <> 0;
  DELETE FROM submission_rollup;
  DELETE FROM submission_rollup_delta;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Moves a form's deltas into form.submission_count and submission_rollup, in one statement. One
-- folder per form at a time (the others return at once: the next fold takes what they would
-- have); rows are locked form first, then tallies in unique-index order, as publishing does, so
-- folds and publishes never deadlock. Returns the number of delta rows folded.
CREATE FUNCTION submission_rollup_fold(target uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  folded bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('submission_rollup_fold'), hashtext(target::text)) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM submission_rollup_delta WHERE form_id = target RETURNING field_id, kind, type, value, n
  ), counted AS (
    UPDATE form SET submission_count = submission_count + c.n
    FROM (SELECT sum(n) AS n FROM moved WHERE kind = 'count') AS c
    WHERE id = target AND c.n IS NOT NULL
    RETURNING 1
  ), tallied AS (
    INSERT INTO submission_rollup AS r (form_id, field_id, kind, type, value, n)
    SELECT target, field_id, kind, type, value, sum(n)
    FROM moved WHERE kind <> 'count'
    GROUP BY field_id, kind, type, value
    ORDER BY field_id, kind, type, md5(value)
    ON CONFLICT (form_id, field_id, kind, type, md5(value)) DO UPDATE SET n = r.n + excluded.n
    RETURNING 1
  )
  SELECT count(*) INTO folded FROM moved;
  RETURN folded;
END
$$;--> statement-breakpoint
CREATE TRIGGER submission_count_insert AFTER INSERT ON "submission"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION submission_count_inserted();--> statement-breakpoint
CREATE TRIGGER submission_count_delete AFTER DELETE ON "submission"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION submission_count_deleted();--> statement-breakpoint
CREATE TRIGGER submission_count_update AFTER UPDATE ON "submission"
  REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
  FOR EACH STATEMENT EXECUTE FUNCTION submission_count_updated();--> statement-breakpoint
CREATE TRIGGER submission_count_truncate AFTER TRUNCATE ON "submission"
  FOR EACH STATEMENT EXECUTE FUNCTION submission_count_truncated();--> statement-breakpoint
-- Publishing a version starts tracking its choice and number fields. A field tracked for the first
-- time may already be in older rows (an id whose type changed): those are counted now, while the
-- form's row is locked, so no submission of this form commits in between.
CREATE FUNCTION submission_rollup_track_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added_valued text[];
  added_listed text[];
BEGIN
  PERFORM 1 FROM form WHERE id = NEW.form_id FOR UPDATE;
  WITH added AS (
    INSERT INTO submission_rollup_field (form_id, field_id, kind)
    SELECT NEW.form_id, t.field_id, t.kind FROM submission_rollup_tracked(NEW.definition) AS t
    ON CONFLICT DO NOTHING
    RETURNING field_id, kind
  )
  SELECT coalesce(array_agg(field_id) FILTER (WHERE kind = 'value'), '{}'),
         coalesce(array_agg(field_id) FILTER (WHERE kind = 'element'), '{}')
  INTO added_valued, added_listed FROM added;
  IF cardinality(added_valued) + cardinality(added_listed) > 0 THEN
    INSERT INTO submission_rollup AS r (form_id, field_id, kind, type, value, n)
    SELECT NEW.form_id, x.field_id, x.kind, x.type, x.value, count(*)
    FROM submission s CROSS JOIN LATERAL submission_rollup_rows(s.answers, false, added_valued, added_listed) AS x
    WHERE s.form_id = NEW.form_id
    GROUP BY x.field_id, x.kind, x.type, x.value
    ORDER BY x.field_id, x.kind, x.type, md5(x.value)
    ON CONFLICT (form_id, field_id, kind, type, md5(value)) DO UPDATE SET n = r.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER submission_rollup_track AFTER INSERT ON "form_version"
  FOR EACH ROW EXECUTE FUNCTION submission_rollup_track_version();--> statement-breakpoint
-- The rows already there (any count deltas are replaced by the recount).
WITH cleared AS (DELETE FROM submission_rollup_delta WHERE kind = 'count')
UPDATE "form" AS f SET submission_count = c.n
FROM (SELECT form_id, count(*) AS n FROM "submission" GROUP BY form_id) AS c
WHERE f.id = c.form_id;--> statement-breakpoint
-- The forms and rows already there.
INSERT INTO submission_rollup_field (form_id, field_id, kind)
SELECT DISTINCT v.form_id, t.field_id, t.kind
FROM form_version v CROSS JOIN LATERAL submission_rollup_tracked(v.definition) AS t
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO submission_rollup (form_id, field_id, kind, type, value, n)
SELECT s.form_id, x.field_id, x.kind, x.type, x.value, count(*)
FROM submission s
CROSS JOIN LATERAL (
  SELECT coalesce(array_agg(t.field_id) FILTER (WHERE t.kind = 'value'), '{}') AS valued,
         coalesce(array_agg(t.field_id) FILTER (WHERE t.kind = 'element'), '{}') AS listed
  FROM submission_rollup_field t WHERE t.form_id = s.form_id
) AS tracked
CROSS JOIN LATERAL submission_rollup_rows(s.answers, true, tracked.valued, tracked.listed) AS x
GROUP BY s.form_id, x.field_id, x.kind, x.type, x.value;
