import { useMemo } from "react";
import { useI18n } from "../i18n";
import { computeBounds, gridLines, isValidPoint, type LatLon, niceStep, project } from "./geo";

const W = 480;
const H = 320;
const M = { left: 56, right: 12, top: 12, bottom: 32 };

/** Points over latitude/longitude axes with a graticule: works offline, no tile server. */
export function GeoMap({ points, label }: { points: LatLon[]; label: string }) {
  const { t, number } = useI18n();
  const valid = useMemo(() => points.filter(isValidPoint), [points]);
  const bounds = useMemo(() => computeBounds(valid), [valid]);
  if (!bounds) return <p className="muted">{t("summary.noPoints")}</p>;
  const proj = project(bounds, W - M.left - M.right, H - M.top - M.bottom);
  const ox = M.left + (W - M.left - M.right - proj.width) / 2;
  const oy = M.top + (H - M.top - M.bottom - proj.height) / 2;
  const latStep = niceStep(bounds.maxLat - bounds.minLat);
  const lonStep = niceStep(bounds.maxLon - bounds.minLon);
  const digits = (step: number) => Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  const fmt = (v: number, step: number) =>
    number(v, { maximumFractionDigits: digits(step), minimumFractionDigits: digits(step) });
  const lats = gridLines(bounds.minLat, bounds.maxLat, latStep);
  const lons = gridLines(bounds.minLon, bounds.maxLon, lonStep);
  return (
    <figure className="geo-map">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={t("summary.mapLabel", { label, count: valid.length })}
        data-testid="geo-map"
      >
        <rect x={ox} y={oy} width={proj.width} height={proj.height} className="map-bg" />
        {lats.map((lat) => (
          <g key={`lat${lat}`}>
            <line
              x1={ox}
              x2={ox + proj.width}
              y1={oy + proj.y(lat)}
              y2={oy + proj.y(lat)}
              className="graticule"
            />
            <text
              x={ox - 4}
              y={oy + proj.y(lat)}
              className="axis-label"
              textAnchor="end"
              dominantBaseline="middle"
            >
              {fmt(lat, latStep)}°
            </text>
          </g>
        ))}
        {lons.map((lon) => (
          <g key={`lon${lon}`}>
            <line
              x1={ox + proj.x(lon)}
              x2={ox + proj.x(lon)}
              y1={oy}
              y2={oy + proj.height}
              className="graticule"
            />
            <text x={ox + proj.x(lon)} y={oy + proj.height + 16} className="axis-label" textAnchor="middle">
              {fmt(lon, lonStep)}°
            </text>
          </g>
        ))}
        {valid.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: points can repeat exactly.
          <circle key={i} cx={ox + proj.x(p.lon)} cy={oy + proj.y(p.lat)} r={5} className="point">
            <title>
              {number(p.lat, { maximumFractionDigits: 5 })}, {number(p.lon, { maximumFractionDigits: 5 })}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted">{t("summary.mapCaption")}</figcaption>
    </figure>
  );
}
