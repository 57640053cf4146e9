-- The statement triggers that keep the counts, tallies (0003_data_at_scale) and map cells
-- (0005_map_cells) exact cost twice as much as the INSERT they follow, and made concurrent
-- batches of one form wait for each other (docs/performance.md, "Submission throughput"):
--   * their queries were planned again at every statement: plpgsql keeps a plan per query, but a
--     query with parameters (the sign, the locked forms) gets a custom plan, planned each time,
--     whenever the planner guesses it beats the generic one. These plans do not depend on the
--     values, so the function keeps one generic plan per query (plan_cache_mode below);
--   * the map cell of a point was a SQL function returning a record, called (not inlined) once per
--     row and level; the formula now lives in two one-expression functions the planner inlines;
--   * the map cells were added to shared rows: every batch of a campaign updates the same few
--     coarse cells, so each waited for the one before it to commit. They are now appended as
--     deltas and folded, like the counts;
--   * three trigger functions each read the statement's rows, and the count's copied them into
--     arrays first; one function now reads the transition table itself.
-- What is counted and the guarantees are those of 0003 and 0005. Replicas still running the
-- previous version keep working during a rolling deploy: they read `submission_map_cell` (now a
-- view with the same columns) and call the same fold.
--
-- Locked first: no statement may run with the old triggers gone and the new ones not yet there.
LOCK TABLE "submission" IN ACCESS EXCLUSIVE MODE;--> statement-breakpoint
-- The cell of a point on the Web Mercator tile grid with 2^level cells a side (tile x, tile y of
-- zoom `level`), latitudes clamped to the projection's ±85.0511°. One expression each, so that
-- PostgreSQL inlines them into the query that calls them instead of calling a function per row.
CREATE FUNCTION submission_map_cx(lon float8, level integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180) / 360 * (2 ^ level))::integer, 0), (2 ^ level)::integer - 1)
$$;--> statement-breakpoint
CREATE FUNCTION submission_map_cy(lat float8, level integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor(
           (1 - ln(tan(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))
                   + 1 / cos(radians(least(greatest(lat, -85.0511287798), 85.0511287798)))) / pi()) / 2
           * (2 ^ level))::integer, 0), (2 ^ level)::integer - 1)
$$;--> statement-breakpoint
-- Both coordinates at once, as the map's readers ask for them: the same two functions.
CREATE OR REPLACE FUNCTION submission_map_cell_of(lat float8, lon float8, level integer, OUT cx integer, OUT cy integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT submission_map_cx(lon, level), submission_map_cy(lat, level)
$$;--> statement-breakpoint
-- The map cells as the counts are kept: folded rows (one per cell) plus the deltas appended by each
-- statement since the last fold; `submission_map_cell`, what the map reads, adds them up.
ALTER TABLE "submission_map_cell" RENAME TO "submission_map_cell_folded";--> statement-breakpoint
ALTER TABLE "submission_map_cell_folded" RENAME CONSTRAINT "submission_map_cell_form_id_level_cx_cy_pk" TO "submission_map_cell_folded_form_id_level_cx_cy_pk";--> statement-breakpoint
ALTER TABLE "submission_map_cell_folded" RENAME CONSTRAINT "submission_map_cell_form_id_form_id_fk" TO "submission_map_cell_folded_form_id_form_id_fk";--> statement-breakpoint
CREATE TABLE "submission_map_cell_delta" (
	"form_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"cx" integer NOT NULL,
	"cy" integer NOT NULL,
	"n" bigint NOT NULL,
	"lat_sum" double precision NOT NULL,
	"lon_sum" double precision NOT NULL
);--> statement-breakpoint
ALTER TABLE "submission_map_cell_delta" ADD CONSTRAINT "submission_map_cell_delta_form_id_form_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."form"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_map_cell_delta_form_level_idx" ON "submission_map_cell_delta" USING btree ("form_id","level");--> statement-breakpoint
-- One row per cell, as the table was: a reader's conditions on the form, level and cell reach both
-- tables' indexes (PostgreSQL pushes them below the grouping), and all of it is read in one
-- snapshot, so a fold moving deltas over is seen whole or not at all.
CREATE VIEW "submission_map_cell" AS
SELECT form_id, level, cx, cy, sum(n)::bigint AS n, sum(lat_sum) AS lat_sum, sum(lon_sum) AS lon_sum
FROM (SELECT form_id, level, cx, cy, n, lat_sum, lon_sum FROM submission_map_cell_folded
      UNION ALL
      SELECT form_id, level, cx, cy, n, lat_sum, lon_sum FROM submission_map_cell_delta) AS c
GROUP BY form_id, level, cx, cy;--> statement-breakpoint
CREATE OR REPLACE FUNCTION submission_map_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM submission_map_cell_folded;
  DELETE FROM submission_map_cell_delta;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Moves a form's deltas into form.submission_count, submission_rollup and its folded map cells, in
-- one statement. One folder per form at a time (the others return at once: the next fold takes
-- what they would have); rows are locked form first, then tallies in unique-index order, as
-- publishing does, so folds and publishes never deadlock; cells in key order (only folds touch
-- them). Returns the number of delta rows folded.
CREATE OR REPLACE FUNCTION submission_rollup_fold(target uuid) RETURNS bigint LANGUAGE plpgsql AS $$
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
  ), moved_cells AS (
    DELETE FROM submission_map_cell_delta WHERE form_id = target RETURNING level, cx, cy, n, lat_sum, lon_sum
  ), celled AS (
    INSERT INTO submission_map_cell_folded AS m (form_id, level, cx, cy, n, lat_sum, lon_sum)
    SELECT target, level, cx, cy, sum(n), sum(lat_sum), sum(lon_sum)
    FROM moved_cells
    GROUP BY level, cx, cy
    ORDER BY level, cx, cy
    ON CONFLICT (form_id, level, cx, cy) DO UPDATE
      SET n = m.n + excluded.n, lat_sum = m.lat_sum + excluded.lat_sum, lon_sum = m.lon_sum + excluded.lon_sum
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM moved_cells) INTO folded;
  RETURN folded;
END
$$;--> statement-breakpoint
DROP TRIGGER "submission_count_insert" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_count_delete" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_count_update" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_map_insert" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_map_delete" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_map_update_old" ON "submission";--> statement-breakpoint
DROP TRIGGER "submission_map_update_new" ON "submission";--> statement-breakpoint
DROP FUNCTION submission_count_inserted();--> statement-breakpoint
DROP FUNCTION submission_count_deleted();--> statement-breakpoint
DROP FUNCTION submission_count_updated();--> statement-breakpoint
DROP FUNCTION submission_map_changed();--> statement-breakpoint
DROP FUNCTION submission_rollup_append(uuid[], jsonb[], integer);--> statement-breakpoint
-- Everything one statement's rows (the transition table `changed`) add to (sign +1) or take off
-- (sign -1: an erasure, or an update's old rows) their forms' counts, tallies and map cells, for
-- forms that still exist (a deleted form takes its rows along).
--   * The forms' rows are locked FOR KEY SHARE first: a shared lock (concurrent statements never
--     wait for each other), which a publish that starts tracking a field waits for with FOR UPDATE
--     while it counts the rows already there (submission_rollup_track_version), so a statement
--     reads the tracked fields either before that count (which then includes its rows, committed)
--     or after it (and tallies the new field itself).
--   * What they add is appended as delta rows (counts and tallies, map cells), never added to
--     shared rows, so concurrent statements never wait for each other; submission_rollup_fold
--     moves them over.
--   * An inserted id that has a tombstone was erased while this statement waited (ON CONFLICT)
--     for the erasure: its NOT EXISTS on the tombstone was read before the erasure committed. This
--     reads afresh, sees the tombstone and fails the statement as a serialization failure, which
--     the writer retries (and the retry skips the id).
CREATE FUNCTION submission_changed() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  sign constant integer := TG_ARGV[0]::integer;
  locked uuid[];
BEGIN
  IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM changed c JOIN submission_tombstone t ON t.id = c.id) THEN
    RAISE EXCEPTION 'a submission in this batch was erased while it was being written'
      USING ERRCODE = 'serialization_failure';
  END IF;
  SELECT array_agg(live.id) INTO locked FROM (
    SELECT f.id FROM form f WHERE f.id IN (SELECT c.form_id FROM changed c) ORDER BY f.id FOR KEY SHARE
  ) AS live;
  IF locked IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO submission_rollup_delta (form_id, field_id, kind, type, value, n)
  SELECT c.form_id, '', 'count', '', '', sign * count(*)
  FROM changed c WHERE c.form_id = ANY(locked)
  GROUP BY c.form_id
  UNION ALL
  SELECT c.form_id, x.field_id, x.kind, x.type, x.value, sign * count(*)
  FROM changed c
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
  INSERT INTO submission_map_cell_delta (form_id, level, cx, cy, n, lat_sum, lon_sum)
  SELECT p.form_id, l.level, submission_map_cx(p.lon, l.level), submission_map_cy(p.lat, l.level),
         sign * count(*), sign * sum(p.lat), sign * sum(p.lon)
  -- OFFSET 0 keeps the coordinates computed once per row (not once per use in the inlined formula).
  FROM (SELECT c.form_id, ST_Y(c.location::geometry) AS lat, ST_X(c.location::geometry) AS lon
        FROM changed c WHERE c.location IS NOT NULL AND c.form_id = ANY(locked) OFFSET 0) AS p
  CROSS JOIN unnest(submission_map_levels()) AS l(level)
  GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER submission_changed_insert AFTER INSERT ON "submission"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_changed('1');--> statement-breakpoint
CREATE TRIGGER submission_changed_delete AFTER DELETE ON "submission"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_changed('-1');--> statement-breakpoint
-- The API never changes a stored submission; if anything ever does, its old rows are taken off
-- and its new rows added.
CREATE TRIGGER submission_changed_update_old AFTER UPDATE ON "submission"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_changed('-1');--> statement-breakpoint
CREATE TRIGGER submission_changed_update_new AFTER UPDATE ON "submission"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_changed('1');
