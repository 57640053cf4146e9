import type { Database } from "../db/client";
import { queryRows, sql } from "../db/sql";
import { selectedSubmissions } from "./filter-sql";
import { type BoundingBox, isUnfiltered, type SubmissionFilters } from "./filters";
import { runRead } from "./service";

/** The most points drawn one by one; more in the view are drawn as clusters. */
export const MAP_MAX_POINTS = 2000;
/**
 * Clusters are cells of the grid this many zoom levels finer than the map: 64-pixel cells of
 * 256-pixel tiles, so cluster markers (up to 52 px) stay apart and readable on a phone.
 */
const CLUSTER_GRID_OFFSET = 2;
export const MAP_MAX_ZOOM = 22;
const WORLD: BoundingBox = { west: -180, south: -90, east: 180, north: 90 };

export interface MapView {
  zoom: number;
  total: number;
  clusters: { lat: number; lon: number; count: number }[];
  points: { id: string; lat: number; lon: number }[];
}

interface ClusterRow {
  lat: number;
  lon: number;
  count: string | number;
}

/** The grid levels the database keeps cells for (submission_map_levels(), the one definition), read once. */
let levels: Promise<number[]> | null = null;
function keptLevels(database: Database): Promise<number[]> {
  levels ??= queryRows<{ level: number }>(
    database,
    sql`SELECT unnest(submission_map_levels()) AS level ORDER BY 1`,
  )
    .then((rows) => rows.map((row) => Number(row.level)))
    .catch((error) => {
      levels = null;
      throw error;
    });
  return levels;
}

/**
 * What the workspace map shows in a view (`filters.bbox`, else the world) at a zoom: every
 * submission when there are at most MAP_MAX_POINTS, else clusters on the grid 2 levels finer than
 * the zoom. Without other filters, clusters add up the cells the writing statements keep
 * (submission_map_cell: a few thousand rows at most, whatever the number of submissions); with
 * filters, the matching rows are found through the indexes (GiST for the view and radius) and
 * grouped on the fly.
 */
export async function mapView(
  database: Database,
  formId: string,
  filters: SubmissionFilters,
  zoom: number,
): Promise<MapView> {
  const grid = zoom + CLUSTER_GRID_OFFSET;
  const view = filters.bbox ?? WORLD;
  const onlyView = isUnfiltered({ ...filters, bbox: undefined });
  const level = (await keptLevels(database)).find((kept) => kept >= grid);
  const selected = sql`${selectedSubmissions(formId, filters)} AND location IS NOT NULL`;
  // Whether the view holds few enough points to send one by one: the stored cells say so without
  // a filter; with one, counting the matches up to one past the limit stops reading there.
  let few: boolean;
  if (onlyView && level !== undefined) {
    const clusters = await storedClusters(database, formId, view, level, grid);
    const total = clusters.reduce((sum, cluster) => sum + cluster.count, 0);
    if (total > MAP_MAX_POINTS) return { zoom, total, clusters, points: [] };
    few = true;
  } else {
    const [counted] = await runRead<{ n: number }>(database, {
      statement: sql`SELECT count(*)::int AS n
                     FROM (SELECT 1 FROM submission WHERE ${selected} LIMIT ${MAP_MAX_POINTS + 1}) AS p`,
      serial: true,
    });
    few = Number(counted?.n ?? 0) <= MAP_MAX_POINTS;
  }
  if (few) {
    const points = await runRead<{ id: string; lat: number; lon: number }>(database, {
      statement: sql`SELECT id, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon FROM submission
                     WHERE ${selected} ORDER BY received_at DESC, seq DESC LIMIT ${MAP_MAX_POINTS + 1}`,
      serial: true,
    });
    // More than counted (rows received in between) falls through to clusters.
    if (points.length <= MAP_MAX_POINTS) {
      return {
        zoom,
        total: points.length,
        clusters: [],
        points: points.map((p) => ({ id: p.id, lat: Number(p.lat), lon: Number(p.lon) })),
      };
    }
  }
  // The cell of each row from the two one-expression functions, which PostgreSQL inlines (the
  // record-returning submission_map_cell_of is a function call per row: 2.5× slower here).
  const grouped = await runRead<ClusterRow>(database, {
    statement: sql`SELECT avg(p.lat) AS lat, avg(p.lon) AS lon, count(*) AS count
                   FROM (SELECT ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon
                         FROM submission WHERE ${selected}) AS p
                   GROUP BY submission_map_cx(p.lon, ${grid}), submission_map_cy(p.lat, ${grid})`,
    serial: true,
  });
  const clusters = grouped.map(toCluster);
  return { zoom, total: clusters.reduce((sum, cluster) => sum + cluster.count, 0), clusters, points: [] };
}

const toCluster = (row: ClusterRow) => ({
  lat: Number(row.lat),
  lon: Number(row.lon),
  count: Number(row.count),
});

/**
 * The stored cells of `level` inside the view, added up into the cells of `grid` (a coarser or
 * equal level: a cell of `grid` is 2^(level - grid) cells of `level` a side). A view across the
 * antimeridian is its two halves.
 */
async function storedClusters(
  database: Database,
  formId: string,
  view: BoundingBox,
  level: number,
  grid: number,
): Promise<MapView["clusters"]> {
  const halves: [number, number][] =
    view.west <= view.east
      ? [[view.west, view.east]]
      : [
          [view.west, 180],
          [-180, view.east],
        ];
  const cell = (lat: number, lon: number) => sql`submission_map_cell_of(${lat}, ${lon}, ${level})`;
  const columns = sql.join(
    halves.map(
      ([west, east]) => sql`(c.cx BETWEEN (${cell(view.south, west)}).cx AND (${cell(view.south, east)}).cx)`,
    ),
    sql` OR `,
  );
  // Cell rows grow southwards (Web Mercator); a cell of `grid` is the cells of `level` sharing the
  // leading bits of their coordinates.
  const shift = sql`(${level}::integer - ${grid}::integer)`;
  const rows = await queryRows<ClusterRow>(
    database,
    sql`SELECT sum(c.lat_sum) / sum(c.n) AS lat, sum(c.lon_sum) / sum(c.n) AS lon, sum(c.n) AS count
        FROM submission_map_cell c
        WHERE c.form_id = ${formId} AND c.level = ${level} AND c.n > 0
          AND c.cy BETWEEN (${cell(view.north, 0)}).cy AND (${cell(view.south, 0)}).cy
          AND (${columns})
        GROUP BY c.cx >> ${shift}, c.cy >> ${shift}`,
  );
  return rows.map(toCluster);
}
