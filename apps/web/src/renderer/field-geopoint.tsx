/** @jsxImportSource preact */
// A location: from the device (Geolocation API) or typed as latitude and longitude.
import { useState } from "preact/hooks";
import { formatNumber } from "../i18n/core";
import type { FillKey } from "../i18n/fill.en";
import { FieldFrame, type FieldProps, inputId, stateAttrs } from "./field-parts";
import { NumberInput, parseNumber, useNumberText } from "./field-text";

interface GeoValue {
  lat?: unknown;
  lon?: unknown;
  accuracy?: unknown;
}

type Status = "idle" | "locating" | "unsupported" | "denied" | "failed";

const STATUS_TEXT: Record<Exclude<Status, "idle">, FillKey> = {
  locating: "geo.locating",
  unsupported: "geo.unsupported",
  denied: "geo.denied",
  failed: "geo.failed",
};

export function Geopoint(p: FieldProps) {
  const base = inputId(p.idPrefix, p.field.id);
  const value = (p.value && typeof p.value === "object" ? p.value : {}) as GeoValue;
  const [status, setStatus] = useState<Status>("idle");
  const [lat, setLat] = useNumberText(value.lat);
  const [lon, setLon] = useNumberText(value.lon);

  const emit = (nextLat: string, nextLon: string) => {
    const la = parseNumber(nextLat);
    const lo = parseNumber(nextLon);
    if (la === undefined && lo === undefined) p.onChange(undefined);
    else p.onChange({ ...(la === undefined ? {} : { lat: la }), ...(lo === undefined ? {} : { lon: lo }) });
  };

  const locate = () => {
    const geo = globalThis.navigator?.geolocation;
    if (!geo) {
      setStatus("unsupported");
      return;
    }
    setStatus("locating");
    geo.getCurrentPosition(
      (pos) => {
        setStatus("idle");
        p.onChange({
          lat: Number(pos.coords.latitude.toFixed(7)),
          lon: Number(pos.coords.longitude.toFixed(7)),
          accuracy: Math.round(pos.coords.accuracy * 10) / 10,
        });
      },
      (err) => setStatus(err.code === 1 ? "denied" : "failed"),
      { enableHighAccuracy: true, timeout: 30_000, maximumAge: 0 },
    );
  };

  const statusText =
    status !== "idle"
      ? p.t(STATUS_TEXT[status])
      : typeof value.accuracy === "number"
        ? p.t("geo.accuracy", { accuracy: formatNumber(p.locale, value.accuracy) })
        : "";

  const coordInput = (which: "lat" | "lon", text: string, set: (s: string) => void) => (
    <div class="cf-coord">
      <label for={`${base}-${which}`}>{p.t(which === "lat" ? "geo.lat" : "geo.lon")}</label>
      <NumberInput
        {...stateAttrs(p, { only: "error" })}
        id={`${base}-${which}`}
        inputMode="decimal"
        disabled={p.disabled}
        onBlur={p.onBlur}
        text={text}
        onText={(next) => {
          set(next);
          emit(which === "lat" ? next : lat, which === "lon" ? next : lon);
        }}
      />
    </div>
  );

  return (
    <FieldFrame {...p} group groupDescribedBy={`${base}-status`}>
      <div class="cf-geo">
        <button
          type="button"
          id={base}
          class="cf-button cf-secondary"
          disabled={p.disabled || status === "locating"}
          aria-describedby={`${base}-status`}
          onClick={locate}
        >
          <span aria-hidden="true">📍 </span>
          {p.t("geo.use")}
        </button>
        <p id={`${base}-status`} class="cf-geo-status" aria-live="polite">
          {statusText}
        </p>
        <p class="cf-help">{p.t("geo.manual")}</p>
        <div class="cf-coords">
          {coordInput("lat", lat, setLat)}
          {coordInput("lon", lon, setLon)}
        </div>
      </div>
    </FieldFrame>
  );
}
