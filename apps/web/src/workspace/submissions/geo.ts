// Offline-safe map maths: an equirectangular plot of points, no tiles.

export interface LatLon {
  lat: number;
  lon: number;
}

export interface Bounds {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

const MIN_SPAN = 0.01; // degrees: about 1 km, so a single point still gets a sensible frame.

export function isValidPoint(p: unknown): p is LatLon {
  if (!p || typeof p !== "object") return false;
  const { lat, lon } = p as LatLon;
  return (
    typeof lat === "number" &&
    typeof lon === "number" &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180
  );
}

/** Bounds that fit every point with a margin (`pad` of the span on each side), clamped to the globe. */
export function computeBounds(points: readonly LatLon[], pad = 0.1): Bounds | null {
  const valid = points.filter(isValidPoint);
  if (valid.length === 0) return null;
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const p of valid) {
    minLat = Math.min(minLat, p.lat);
    maxLat = Math.max(maxLat, p.lat);
    minLon = Math.min(minLon, p.lon);
    maxLon = Math.max(maxLon, p.lon);
  }
  const widen = (min: number, max: number): [number, number] => {
    const span = Math.max(max - min, MIN_SPAN);
    const mid = (min + max) / 2;
    const half = (span * (1 + 2 * pad)) / 2;
    return [mid - half, mid + half];
  };
  let [lat0, lat1] = widen(minLat, maxLat);
  let [lon0, lon1] = widen(minLon, maxLon);
  lat0 = Math.max(-90, lat0);
  lat1 = Math.min(90, lat1);
  lon0 = Math.max(-180, lon0);
  lon1 = Math.min(180, lon1);
  return { minLat: lat0, maxLat: lat1, minLon: lon0, maxLon: lon1 };
}

/** A "nice" graticule step (1, 2 or 5 × 10^n degrees) giving roughly `target` lines across `span`. */
export function niceStep(span: number, target = 5): number {
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  const nice = scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10;
  return nice * power;
}

export function gridLines(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  const start = Math.ceil(min / step) * step;
  for (let v = start; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

export interface Projection {
  width: number;
  height: number;
  x: (lon: number) => number;
  y: (lat: number) => number;
}

/**
 * Equirectangular projection scaled by cos(mid latitude) so shapes are not stretched, fitted into
 * `maxWidth` × `maxHeight` keeping the aspect ratio.
 */
export function project(bounds: Bounds, maxWidth: number, maxHeight: number): Projection {
  const midLat = ((bounds.minLat + bounds.maxLat) / 2) * (Math.PI / 180);
  const kx = Math.max(Math.cos(midLat), 0.05);
  const w = (bounds.maxLon - bounds.minLon) * kx;
  const h = bounds.maxLat - bounds.minLat;
  const scale = Math.min(maxWidth / w, maxHeight / h);
  const width = w * scale;
  const height = h * scale;
  return {
    width,
    height,
    x: (lon) => (lon - bounds.minLon) * kx * scale,
    y: (lat) => (bounds.maxLat - lat) * scale,
  };
}
