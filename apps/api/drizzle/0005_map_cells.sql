CREATE TABLE "submission_map_cell" (
	"form_id" uuid NOT NULL,
	"level" smallint NOT NULL,
	"cx" integer NOT NULL,
	"cy" integer NOT NULL,
	"n" bigint NOT NULL,
	"lat_sum" double precision NOT NULL,
	"lon_sum" double precision NOT NULL,
	CONSTRAINT "submission_map_cell_form_id_level_cx_cy_pk" PRIMARY KEY("form_id","level","cx","cy")
);
--> statement-breakpoint
ALTER TABLE "submission_map_cell" ADD CONSTRAINT "submission_map_cell_form_id_form_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."form"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The map's cells are kept exact like form.submission_count (0003_data_at_scale): by statement-level
-- triggers on `submission`, in the statement that changes the rows, so in its transaction. Locked
-- first: no INSERT may run without the triggers while the cells of the rows already there are
-- counted below.
LOCK TABLE "submission" IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
-- The grid levels kept: a map at zoom z draws clusters on the grid of zoom z + 3 (32-pixel cells of
-- 256-pixel tiles) by adding up the cells of the first level at least that fine. The API reads this
-- list; it is the one place the levels are written down.
CREATE FUNCTION submission_map_levels() RETURNS smallint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ARRAY[4, 8, 12, 16]::smallint[] $$;--> statement-breakpoint
-- The cell of a point on the Web Mercator tile grid with 2^level cells a side (tile x, tile y of
-- zoom `level`), latitudes clamped to the projection's ±85.0511°.
CREATE FUNCTION submission_map_cell_of(lat float8, lon float8, level integer, OUT cx integer, OUT cy integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180) / 360 * side)::integer, 0), side::integer - 1),
         least(greatest(floor((1 - ln(tan(radians(c)) + 1 / cos(radians(c))) / pi()) / 2 * side)::integer, 0),
               side::integer - 1)
  FROM (SELECT least(greatest(lat, -85.0511287798), 85.0511287798) AS c, 2 ^ level AS side) AS grid
$$;--> statement-breakpoint
-- One function for every change: the trigger names its transition table `changed` and passes the
-- sign (+1 rows added, -1 rows taken off: an erasure, or an update's old rows; nothing in the API
-- moves a submission, but if anything ever does, the cells follow). In key order (concurrent
-- statements never lock the same cells in opposite orders), only for forms that still exist.
CREATE FUNCTION submission_map_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign constant integer := TG_ARGV[0]::integer;
BEGIN
  INSERT INTO submission_map_cell AS m (form_id, level, cx, cy, n, lat_sum, lon_sum)
  SELECT p.form_id, l.level, c.cx, c.cy, sign * count(*), sign * sum(p.lat), sign * sum(p.lon)
  FROM (SELECT form_id, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon
        FROM changed WHERE location IS NOT NULL) AS p
  CROSS JOIN unnest(submission_map_levels()) AS l(level)
  CROSS JOIN LATERAL submission_map_cell_of(p.lat, p.lon, l.level) AS c
  WHERE EXISTS (SELECT 1 FROM form f WHERE f.id = p.form_id)
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (form_id, level, cx, cy) DO UPDATE
    SET n = m.n + excluded.n, lat_sum = m.lat_sum + excluded.lat_sum, lon_sum = m.lon_sum + excluded.lon_sum;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION submission_map_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM submission_map_cell;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER submission_map_insert AFTER INSERT ON "submission"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_map_changed('1');--> statement-breakpoint
CREATE TRIGGER submission_map_delete AFTER DELETE ON "submission"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_map_changed('-1');--> statement-breakpoint
-- An update is its old rows taken off, then its new rows added.
CREATE TRIGGER submission_map_update_old AFTER UPDATE ON "submission"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_map_changed('-1');--> statement-breakpoint
CREATE TRIGGER submission_map_update_new AFTER UPDATE ON "submission"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION submission_map_changed('1');--> statement-breakpoint
CREATE TRIGGER submission_map_truncate AFTER TRUNCATE ON "submission"
  FOR EACH STATEMENT EXECUTE FUNCTION submission_map_truncated();--> statement-breakpoint
-- The rows already there.
INSERT INTO submission_map_cell (form_id, level, cx, cy, n, lat_sum, lon_sum)
SELECT p.form_id, l.level, c.cx, c.cy, count(*), sum(p.lat), sum(p.lon)
FROM (SELECT form_id, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon
      FROM submission WHERE location IS NOT NULL) AS p
CROSS JOIN unnest(submission_map_levels()) AS l(level)
CROSS JOIN LATERAL submission_map_cell_of(p.lat, p.lon, l.level) AS c
GROUP BY 1, 2, 3, 4;
