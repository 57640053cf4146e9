/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { formatNumber, type Locale } from "../i18n/core";
import { downscaleImage, keepFile } from "./device-files";
import { type DeviceFileAnswer, type LooseField, maxFiles, ratingMax, textMaxLength } from "./logic";
import { formatBytes, type T } from "./messages";

export interface FieldProps {
  field: LooseField;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur: () => void;
  error: string | null;
  idPrefix: string;
  locale: Locale;
  t: T;
  disabled?: boolean;
}

/** Id of the element that receives focus for a field (its input, or the first input of a group). */
export const inputId = (idPrefix: string, fieldId: string) => `${idPrefix}-${fieldId}`;

const GROUP_TYPES = new Set(["single_choice", "multiple_choice", "rating", "yes_no", "consent", "geopoint"]);

function describedBy(p: FieldProps, extra?: string): string | undefined {
  const base = inputId(p.idPrefix, p.field.id);
  const ids = [extra, p.field.help ? `${base}-help` : null, p.error ? `${base}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function RequiredMark({ field, t }: { field: LooseField; t: T }) {
  if (!field.required) return null;
  return (
    <span class="cf-req">
      <span aria-hidden="true"> *</span>
      <span class="cf-sr"> ({t("field.required")})</span>
    </span>
  );
}

function HelpAndError(p: FieldProps & { children?: ComponentChildren }) {
  const base = inputId(p.idPrefix, p.field.id);
  return (
    <>
      {p.field.help ? (
        <p class="cf-help" id={`${base}-help`}>
          {p.field.help}
        </p>
      ) : null}
      {p.children}
      {p.error ? (
        <p class="cf-error" id={`${base}-error`}>
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </>
  );
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

function TextLike(p: FieldProps) {
  const f = p.field;
  const id = inputId(p.idPrefix, f.id);
  const common = {
    id,
    name: f.id,
    value: str(p.value),
    placeholder: f.placeholder,
    required: f.required,
    disabled: p.disabled,
    "aria-invalid": p.error ? ("true" as const) : undefined,
    "aria-describedby": describedBy(p),
    onInput: (e: Event) => p.onChange((e.currentTarget as HTMLInputElement).value),
    onBlur: p.onBlur,
  };
  let control: preact.JSX.Element;
  switch (f.type) {
    case "long_text":
      control = <textarea {...common} rows={4} maxLength={textMaxLength(f)} />;
      break;
    case "email":
      control = <input {...common} type="email" inputMode="email" autoComplete="email" spellcheck={false} />;
      break;
    case "phone":
      control = <input {...common} type="tel" inputMode="tel" autoComplete="tel" />;
      break;
    case "url":
      control = <input {...common} type="url" inputMode="url" spellcheck={false} />;
      break;
    case "date":
      control = <input {...common} type="date" min={str(f.min) || undefined} max={str(f.max) || undefined} />;
      break;
    case "time":
      control = <input {...common} type="time" min={str(f.min) || undefined} max={str(f.max) || undefined} />;
      break;
    default:
      control = <input {...common} type="text" maxLength={textMaxLength(f)} />;
  }
  return (
    <div class="cf-field" data-field={f.id}>
      <label class="cf-label" for={id}>
        {f.label}
        <RequiredMark field={f} t={p.t} />
      </label>
      <HelpAndError {...p}>{control}</HelpAndError>
    </div>
  );
}

/** Parses "1,5" as well as "1.5": respondents type the decimal separator of their language. */
export function parseNumber(raw: string): number | string | undefined {
  const trimmed = raw.trim();
  if (trimmed === "") return undefined;
  const normalized = trimmed.replace(/\s/g, "").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normalized)) return trimmed;
  return Number(normalized);
}

function NumberField(p: FieldProps) {
  const f = p.field;
  const id = inputId(p.idPrefix, f.id);
  const fromValue = (v: unknown) => (typeof v === "number" ? String(v) : typeof v === "string" ? v : "");
  const [raw, setRaw] = useState(fromValue(p.value));
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow outside value changes only, not typing
  useEffect(() => {
    // Follow outside changes (draft restored, preview reset) without fighting the user's typing.
    const parsed = parseNumber(raw);
    if (parsed !== p.value && !(parsed === undefined && p.value == null)) setRaw(fromValue(p.value));
  }, [p.value]);
  const negative = typeof f.min !== "number" || f.min < 0;
  return (
    <div class="cf-field" data-field={f.id}>
      <label class="cf-label" for={id}>
        {f.label}
        <RequiredMark field={f} t={p.t} />
      </label>
      <HelpAndError {...p}>
        <input
          id={id}
          name={f.id}
          type="text"
          inputMode={f.integer && !negative ? "numeric" : "decimal"}
          autoComplete="off"
          value={raw}
          placeholder={f.placeholder}
          required={f.required}
          disabled={p.disabled}
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={describedBy(p)}
          onInput={(e) => {
            const next = (e.currentTarget as HTMLInputElement).value;
            setRaw(next);
            p.onChange(parseNumber(next));
          }}
          onBlur={p.onBlur}
        />
      </HelpAndError>
    </div>
  );
}

function Group(p: FieldProps & { children: ComponentChildren; extraDescribedBy?: string }) {
  const f = p.field;
  return (
    <fieldset
      class="cf-field cf-group"
      data-field={f.id}
      aria-describedby={describedBy(p, p.extraDescribedBy)}
    >
      <legend class="cf-label">
        {f.label}
        <RequiredMark field={f} t={p.t} />
      </legend>
      <HelpAndError {...p}>{p.children}</HelpAndError>
    </fieldset>
  );
}

interface Choice {
  key: string;
  label: ComponentChildren;
  checked: boolean;
  onSelect: (checked: boolean) => void;
}

function ChoiceList(p: FieldProps & { kind: "radio" | "checkbox"; choices: Choice[]; className?: string }) {
  const base = inputId(p.idPrefix, p.field.id);
  return (
    <div class={p.className ?? "cf-choices"}>
      {p.choices.map((c, i) => {
        const id = i === 0 ? base : `${base}-${i}`;
        return (
          <div class="cf-choice" key={c.key}>
            <input
              id={id}
              type={p.kind}
              name={p.field.id}
              value={c.key}
              checked={c.checked}
              disabled={p.disabled}
              required={p.kind === "radio" && p.field.required}
              aria-invalid={p.error ? "true" : undefined}
              aria-describedby={p.error ? `${base}-error` : undefined}
              onChange={(e) => c.onSelect((e.currentTarget as HTMLInputElement).checked)}
              onBlur={p.onBlur}
            />
            <label for={id}>{c.label}</label>
          </div>
        );
      })}
    </div>
  );
}

function SingleChoice(p: FieldProps) {
  const options = p.field.options ?? [];
  return (
    <Group {...p}>
      <ChoiceList
        {...p}
        kind="radio"
        choices={options.map((o) => ({
          key: o.value,
          label: o.label,
          checked: p.value === o.value,
          onSelect: () => p.onChange(o.value),
        }))}
      />
    </Group>
  );
}

function MultipleChoice(p: FieldProps) {
  const options = p.field.options ?? [];
  const current = Array.isArray(p.value) ? (p.value as string[]) : [];
  return (
    <Group {...p}>
      <ChoiceList
        {...p}
        kind="checkbox"
        choices={options.map((o) => ({
          key: o.value,
          label: o.label,
          checked: current.includes(o.value),
          onSelect: (checked) => {
            // Keep the definition's option order so answers are stable.
            const next = options
              .map((x) => x.value)
              .filter((v) => (v === o.value ? checked : current.includes(v)));
            p.onChange(next.length ? next : undefined);
          },
        }))}
      />
    </Group>
  );
}

function YesNo(p: FieldProps) {
  return (
    <Group {...p}>
      <ChoiceList
        {...p}
        kind="radio"
        className="cf-choices cf-inline"
        choices={[
          { key: "yes", label: p.t("yes"), checked: p.value === true, onSelect: () => p.onChange(true) },
          { key: "no", label: p.t("no"), checked: p.value === false, onSelect: () => p.onChange(false) },
        ]}
      />
    </Group>
  );
}

function Rating(p: FieldProps) {
  const max = ratingMax(p.field);
  const value = typeof p.value === "number" ? p.value : 0;
  const choices: Choice[] = [];
  for (let n = 1; n <= max; n++) {
    choices.push({
      key: String(n),
      label: (
        <>
          <span aria-hidden="true" class={n <= value ? "cf-star cf-on" : "cf-star"}>
            ★
          </span>
          <span class="cf-sr">{p.t("rating.star", { value: n, max })}</span>
        </>
      ),
      checked: value === n,
      onSelect: () => p.onChange(n),
    });
  }
  return (
    <Group {...p}>
      <ChoiceList {...p} kind="radio" className="cf-stars" choices={choices} />
    </Group>
  );
}

function Consent(p: FieldProps) {
  const f = p.field;
  return (
    <Group {...p}>
      <ChoiceList
        {...p}
        kind="checkbox"
        className="cf-choices cf-consent"
        choices={[
          {
            key: "accept",
            label: f.text ?? f.label,
            checked: p.value === true,
            onSelect: (checked) => p.onChange(checked ? true : undefined),
          },
        ]}
      />
    </Group>
  );
}

function Dropdown(p: FieldProps) {
  const f = p.field;
  const id = inputId(p.idPrefix, f.id);
  return (
    <div class="cf-field" data-field={f.id}>
      <label class="cf-label" for={id}>
        {f.label}
        <RequiredMark field={f} t={p.t} />
      </label>
      <HelpAndError {...p}>
        <select
          id={id}
          name={f.id}
          value={str(p.value)}
          required={f.required}
          disabled={p.disabled}
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={describedBy(p)}
          onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
          onBlur={p.onBlur}
        >
          <option value="">{p.t("choice.placeholder")}</option>
          {(f.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </HelpAndError>
    </div>
  );
}

interface GeoValue {
  lat?: unknown;
  lon?: unknown;
  accuracy?: unknown;
}

function Geopoint(p: FieldProps) {
  const f = p.field;
  const base = inputId(p.idPrefix, f.id);
  const value = (p.value && typeof p.value === "object" ? p.value : {}) as GeoValue;
  const [status, setStatus] = useState<"idle" | "locating" | "unsupported" | "denied" | "failed">("idle");
  const [lat, setLat] = useState(value.lat == null ? "" : String(value.lat));
  const [lon, setLon] = useState(value.lon == null ? "" : String(value.lon));
  useEffect(() => {
    const v = (p.value && typeof p.value === "object" ? p.value : {}) as GeoValue;
    setLat(v.lat == null ? "" : String(v.lat));
    setLon(v.lon == null ? "" : String(v.lon));
  }, [p.value]);

  const emit = (nextLat: string, nextLon: string) => {
    const la = parseNumber(nextLat);
    const lo = parseNumber(nextLon);
    if (la === undefined && lo === undefined) p.onChange(undefined);
    else {
      const out: Record<string, unknown> = {};
      if (la !== undefined) out.lat = la;
      if (lo !== undefined) out.lon = lo;
      p.onChange(out);
    }
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
    status === "locating"
      ? p.t("geo.locating")
      : status === "unsupported"
        ? p.t("geo.unsupported")
        : status === "denied"
          ? p.t("geo.denied")
          : status === "failed"
            ? p.t("geo.failed")
            : typeof value.accuracy === "number"
              ? p.t("geo.accuracy", { accuracy: formatNumber(p.locale, value.accuracy) })
              : "";

  const coordInput = (which: "lat" | "lon", raw: string, set: (s: string) => void) => (
    <div class="cf-coord">
      <label for={`${base}-${which}`}>{p.t(which === "lat" ? "geo.lat" : "geo.lon")}</label>
      <input
        id={`${base}-${which}`}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={raw}
        disabled={p.disabled}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${base}-error` : undefined}
        onInput={(e) => {
          const next = (e.currentTarget as HTMLInputElement).value;
          set(next);
          emit(which === "lat" ? next : lat, which === "lon" ? next : lon);
        }}
        onBlur={p.onBlur}
      />
    </div>
  );

  return (
    <Group {...p} extraDescribedBy={`${base}-status`}>
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
    </Group>
  );
}

/**
 * Picked files become `{ uploadId, name, size, type }` answers; their bytes (photos scaled down on
 * the device when the question asks for it) wait in device-files.ts for the outbox to upload them.
 */
async function pickFiles(field: LooseField, list: File[], onChange: (value: unknown) => void) {
  const max = field.imageMaxDimension;
  const items: DeviceFileAnswer[] = await Promise.all(
    list.map(async (file) => {
      const blob = max ? await downscaleImage(file, max) : file;
      const type = blob.type || file.type || "application/octet-stream";
      return { uploadId: keepFile(blob), name: file.name, size: blob.size, type };
    }),
  );
  onChange(items.length ? items : undefined);
}

function FileField(p: FieldProps) {
  const f = p.field;
  const id = inputId(p.idPrefix, f.id);
  const files = Array.isArray(p.value) ? (p.value as { name: string; size: number; type: string }[]) : [];
  const accept = Array.isArray(f.accept) ? f.accept.join(",") : f.accept;
  const noteId = `${id}-note`;
  return (
    <div class="cf-field" data-field={f.id}>
      <label class="cf-label" for={id}>
        {f.label}
        <RequiredMark field={f} t={p.t} />
      </label>
      <HelpAndError {...p}>
        <input
          id={id}
          name={f.id}
          type="file"
          accept={accept || undefined}
          multiple={maxFiles(f) > 1}
          required={f.required}
          disabled={p.disabled}
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby={[describedBy(p), noteId].filter(Boolean).join(" ")}
          onChange={(e) =>
            void pickFiles(f, Array.from((e.currentTarget as HTMLInputElement).files ?? []), p.onChange)
          }
          onBlur={p.onBlur}
        />
        {files.length ? (
          <ul class="cf-files">
            {files.map((file) => (
              <li key={(file as { uploadId?: string }).uploadId ?? file.name}>
                {p.t("file.selected", { name: file.name, size: formatBytes(p.locale, file.size) })}
              </li>
            ))}
          </ul>
        ) : null}
        <p class="cf-note" id={noteId}>
          {p.t("file.note")}
        </p>
      </HelpAndError>
    </div>
  );
}

export function FieldView(p: FieldProps) {
  switch (p.field.type) {
    case "number":
      return <NumberField {...p} />;
    case "single_choice":
      return <SingleChoice {...p} />;
    case "multiple_choice":
      return <MultipleChoice {...p} />;
    case "dropdown":
      return <Dropdown {...p} />;
    case "rating":
      return <Rating {...p} />;
    case "yes_no":
      return <YesNo {...p} />;
    case "consent":
      return <Consent {...p} />;
    case "geopoint":
      return <Geopoint {...p} />;
    case "file":
      return <FileField {...p} />;
    default:
      return <TextLike {...p} />;
  }
}

export const isGroupType = (type: string) => GROUP_TYPES.has(type);
