import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef, useState } from "react";
import { api, type Form, formPath, type Organization, type SubmissionMap } from "../api";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { apiQuery, type BoundingBox, type SubmissionFilters } from "./filters";
import { MAP_TILES } from "./map-tiles";

/** Radii offered for "within … of a point", in metres. */
const RADII = [1_000, 5_000, 25_000, 100_000, 500_000] as const;
/** Wait this long after the map stops moving before asking for what is in view. */
const SETTLE_MS = 200;

type Area = Pick<SubmissionFilters, "bbox" | "near">;

/** The view as the API's `bbox`: longitudes wrapped to ±180 (west > east across the antimeridian). */
function viewBox(map: L.Map): BoundingBox | undefined {
  const bounds = map.getBounds();
  if (bounds.getEast() - bounds.getWest() >= 360) return undefined;
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));
  return {
    west: wrap(bounds.getWest()),
    south: clampLat(bounds.getSouth()),
    east: wrap(bounds.getEast()),
    north: clampLat(bounds.getNorth()),
  };
}

/**
 * The workspace map: a basemap (OpenStreetMap unless configured otherwise; without network the
 * points still show on a blank background) with the submissions in view, clustered by the API
 * when there are many. A cluster zooms in, a point opens its submission; the area filters (this
 * view, or a radius around a clicked point) are drawn on the map and apply to the list and export.
 */
export function SubmissionsMap({
  org,
  form,
  filters,
  onOpen,
  onArea,
}: {
  org: Organization;
  form: Form;
  filters: SubmissionFilters;
  onOpen: (submissionId: string) => void;
  onArea: (area: Area) => void;
}) {
  const { t, number } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const results = useRef<L.LayerGroup | null>(null);
  const areaLayer = useRef<L.LayerGroup | null>(null);
  const [view, setView] = useState<{ zoom: number; bbox: BoundingBox | undefined } | null>(null);
  const [reply, setReply] = useState<SubmissionMap | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [picking, setPicking] = useState(false);
  const [radius, setRadius] = useState<number>(RADII[1]);
  // Handlers the Leaflet callbacks call: always the latest props without rebuilding the map.
  const latest = useRef({ onOpen, onArea, picking, radius });
  /** Whether the map has framed the form's submissions yet (once, on the first reply). */
  const framed = useRef(false);
  latest.current = { onOpen, onArea, picking, radius };

  // The Leaflet map lives as long as the component; React only renders the controls around it.
  useEffect(() => {
    if (!element.current) return;
    const created = L.map(element.current, { worldCopyJump: true, minZoom: 1, maxZoom: 19 }).setView(
      [0, 0],
      2,
    );
    if (MAP_TILES.url) {
      L.tileLayer(MAP_TILES.url, { attribution: MAP_TILES.attribution, maxZoom: 19 })
        .on("tileerror", () => setTilesFailed(true))
        .addTo(created);
    }
    results.current = L.layerGroup().addTo(created);
    areaLayer.current = L.layerGroup().addTo(created);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setView({ zoom: created.getZoom(), bbox: viewBox(created) }), SETTLE_MS);
    };
    created.on("moveend", settle);
    // A drag before the first reply is framed means the person chose the view; keep it.
    created.on("dragstart", () => {
      framed.current = true;
    });
    created.on("click", (event: L.LeafletMouseEvent) => {
      if (!latest.current.picking) return;
      setPicking(false);
      const { lat, lng } = event.latlng.wrap();
      latest.current.onArea({ near: { lat, lon: lng, radius: latest.current.radius }, bbox: undefined });
    });
    map.current = created;
    settle();
    return () => {
      clearTimeout(timer);
      created.remove();
      map.current = null;
    };
  }, []);

  // What is in view, with the list's filters (the view replaces a box filter, a radius stays).
  // Until the map has framed the submissions, ask for the whole world: the frame is what it finds.
  const query = view
    ? apiQuery({ ...filters, bbox: framed.current ? view.bbox : undefined }, { zoom: String(view.zoom) })
    : null;
  useEffect(() => {
    if (query === null) return;
    const controller = new AbortController();
    api<SubmissionMap>(`${formPath(org.id, form.id)}/submissions/map${query}`, { signal: controller.signal })
      .then((next) => {
        setReply(next);
        setError(null);
      })
      .catch((caught) => {
        if ((caught as Error)?.name !== "AbortError") setError(caught);
      });
    return () => controller.abort();
  }, [org.id, form.id, query]);

  // The first view shows every located submission: the map frames them once, then it is the user's.
  useEffect(() => {
    const current = map.current;
    if (!current || !reply || framed.current) return;
    const spots = [...reply.clusters, ...reply.points].map((p) => L.latLng(p.lat, p.lon));
    if (spots.length === 0) return;
    framed.current = true;
    current.fitBounds(L.latLngBounds(spots), { padding: [48, 48], maxZoom: 14 });
  }, [reply]);

  // Draw the clusters and points of the latest reply.
  useEffect(() => {
    const layer = results.current;
    const current = map.current;
    if (!layer || !current || !reply) return;
    layer.clearLayers();
    const largest = Math.max(1, ...reply.clusters.map((c) => c.count));
    for (const cluster of reply.clusters) {
      const size = Math.round(28 + 24 * (Math.log(cluster.count) / Math.log(largest + 1)));
      const label = t("map.cluster", { count: number(cluster.count) });
      const marker = L.marker([cluster.lat, cluster.lon], {
        icon: L.divIcon({
          className: "map-cluster",
          // The short count is for the eye; screen readers get the whole sentence (aria-label below).
          html: `<span aria-hidden="true">${number(cluster.count, { notation: "compact" })}</span>`,
          iconSize: [size, size],
        }),
        title: label,
        alt: label,
        keyboard: true,
      })
        .on("click", () => {
          // The person has taken the map over: the first reply's framing must not undo this zoom.
          framed.current = true;
          current.setView([cluster.lat, cluster.lon], Math.min(current.getZoom() + 2, 19));
        })
        .addTo(layer);
      // Leaflet puts `alt` on image icons only; a div icon (a button to keyboards) needs its name.
      marker.getElement()?.setAttribute("aria-label", label);
    }
    for (const point of reply.points) {
      L.circleMarker([point.lat, point.lon], { radius: 7, className: "map-point", weight: 2 })
        .bindTooltip(t("map.open"))
        .on("click", (event) => {
          L.DomEvent.stopPropagation(event);
          latest.current.onOpen(point.id);
        })
        .addTo(layer);
    }
  }, [reply, t, number]);

  // The area filters, drawn.
  const { bbox, near } = filters;
  useEffect(() => {
    const layer = areaLayer.current;
    if (!layer) return;
    layer.clearLayers();
    if (bbox) {
      const east = bbox.east < bbox.west ? bbox.east + 360 : bbox.east;
      L.rectangle(
        [
          [bbox.south, bbox.west],
          [bbox.north, east],
        ],
        { className: "map-area", interactive: false },
      ).addTo(layer);
    }
    if (near) {
      L.circle([near.lat, near.lon], {
        radius: near.radius,
        className: "map-area",
        interactive: false,
      }).addTo(layer);
    }
  }, [bbox, near]);

  const filtered = Boolean(bbox || near);
  return (
    <section className="submissions-map" aria-label={t("map.title")}>
      <div className="map-toolbar">
        <button
          type="button"
          className="button"
          onClick={() => map.current && onArea({ bbox: viewBox(map.current), near: undefined })}
        >
          {t("map.filterView")}
        </button>
        <label>
          {t("map.radius")}{" "}
          <select value={radius} onChange={(event) => setRadius(Number(event.target.value))}>
            {RADII.map((r) => (
              <option key={r} value={r}>
                {number(r / 1000)} km
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          aria-pressed={picking}
          onClick={() => setPicking((now) => !now)}
        >
          {picking ? t("map.pickPrompt") : t("map.pickCenter")}
        </button>
        {filtered ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onArea({ bbox: undefined, near: undefined })}
          >
            {t("map.clearArea")}
          </button>
        ) : null}
      </div>
      <div
        ref={element}
        className={`map-canvas${picking ? " picking" : ""}`}
        data-testid="submissions-map"
        role="application"
        aria-label={t("map.canvas")}
      />
      <p className="muted" aria-live="polite" data-testid="map-status" data-zoom={reply?.zoom}>
        {error
          ? errorMessage(error, t)
          : reply
            ? t("map.inView", { count: number(reply.total) })
            : t("common.loading")}
        {tilesFailed ? ` ${t("map.noTiles")}` : ""}
      </p>
    </section>
  );
}
