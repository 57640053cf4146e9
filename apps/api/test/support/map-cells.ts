/**
 * How many of the map's cells (`submission_map_cell`: the folded cells plus the deltas not yet
 * folded) differ from a recount of every located submission, in count or coordinate sums, at every
 * level, for every form. 0 when the triggers and folds kept them exact.
 */
export const MAP_CELLS_DIFFERING = `
  WITH truth AS (
    SELECT s.form_id, l.level, c.cx, c.cy, count(*) AS n,
           sum(ST_Y(s.location::geometry)) AS lat_sum, sum(ST_X(s.location::geometry)) AS lon_sum
    FROM submission s
    CROSS JOIN unnest(submission_map_levels()) AS l(level)
    CROSS JOIN LATERAL submission_map_cell_of(ST_Y(s.location::geometry), ST_X(s.location::geometry), l.level) AS c
    WHERE s.location IS NOT NULL GROUP BY 1, 2, 3, 4
  ), stored AS (SELECT * FROM submission_map_cell WHERE n <> 0)
  SELECT count(*)::int AS n FROM truth FULL JOIN stored USING (form_id, level, cx, cy)
  WHERE truth.n IS DISTINCT FROM stored.n
     OR abs(coalesce(truth.lat_sum, 0) - coalesce(stored.lat_sum, 0)) > 1e-6 * greatest(1, abs(truth.lat_sum))
     OR abs(coalesce(truth.lon_sum, 0) - coalesce(stored.lon_sum, 0)) > 1e-6 * greatest(1, abs(truth.lon_sum))`;
