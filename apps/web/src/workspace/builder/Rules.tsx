import {
  type BoundedSetting,
  type Field,
  type FieldType,
  SETTING_BOUNDS,
  TEXT_MAX_LENGTHS,
} from "@coleta/forms";
import { useI18n } from "../i18n";
import { Checkbox, NumberInput, RangeInputs, TextInput } from "./inputs";

type Loose = Record<string, unknown>;

const MB = 1_048_576;

interface Range {
  kind: "count" | "number" | "date" | "time";
  keys: [string, string];
  labels: [string, string];
}
const LENGTHS: Range = {
  kind: "count",
  keys: ["minLength", "maxLength"],
  labels: ["rule.minLength", "rule.maxLength"],
};
/** The "lowest / highest" pair each type takes, if any. */
const RANGES: Partial<Record<FieldType, Range>> = {
  short_text: LENGTHS,
  long_text: LENGTHS,
  number: { kind: "number", keys: ["min", "max"], labels: ["rule.min", "rule.max"] },
  multiple_choice: {
    kind: "count",
    keys: ["minSelected", "maxSelected"],
    labels: ["rule.minSelected", "rule.maxSelected"],
  },
  date: { kind: "date", keys: ["min", "max"], labels: ["rule.earliestDate", "rule.latestDate"] },
  time: { kind: "time", keys: ["min", "max"], labels: ["rule.earliestTime", "rule.latestTime"] },
};

/** The rules a field of this type takes (lengths, bounds, pattern, file limits…). */
export function Rules({ field, set }: { field: Field; set: (patch: Loose) => void }) {
  const f = field as unknown as Loose;
  const range = RANGES[field.type];
  const other = <OtherRules field={field} f={f} set={set} />;
  if (!range) return other;
  return (
    <>
      <RangeInputs f={f} set={set} {...range} />
      {other}
    </>
  );
}

/** The rules besides a type's range; nothing more for a type whose range is all it has. */
function OtherRules({ field, f, set }: { field: Field; f: Loose; set: (patch: Loose) => void }) {
  const { t } = useI18n();
  switch (field.type) {
    case "short_text":
      return (
        <>
          <TextInput
            label={t("rule.pattern")}
            value={f.pattern as string | undefined}
            hint={t("rule.patternHint")}
            onChange={(v) => set({ pattern: v })}
          />
          {f.pattern ? (
            <TextInput
              label={t("rule.patternMessage")}
              value={f.patternMessage as string | undefined}
              limit={TEXT_MAX_LENGTHS.patternMessage}
              onChange={(v) => set({ patternMessage: v })}
            />
          ) : null}
        </>
      );
    case "number":
      return (
        <Checkbox
          label={t("rule.integer")}
          checked={f.integer === true}
          onChange={(v) => set({ integer: v || undefined })}
        />
      );
    case "rating":
      return <BoundedRule setting="ratingMax" f={f} set={set} />;
    case "consent":
      return (
        <TextInput
          multiline
          label={t("rule.consentText")}
          value={f.text as string}
          limit={TEXT_MAX_LENGTHS.consentText}
          onChange={(v) => set({ text: v })}
        />
      );
    case "geopoint":
      return (
        <NumberInput
          label={t("rule.maxAccuracy")}
          value={f.maxAccuracy}
          min={0}
          onChange={(v) => set({ maxAccuracy: v })}
        />
      );
    case "file":
      return <FileRules f={f} set={set} />;
    default:
      return RANGES[field.type] ? null : <p className="hint">{t("rule.none")}</p>;
  }
}

/** The field property that holds each bounded setting. */
const SETTING_PROPERTY: Record<BoundedSetting, string> = {
  ratingMax: "max",
  maxFiles: "maxFiles",
  imageMaxDimension: "imageMaxDimension",
};

/** A whole number within the bounds @coleta/forms enforces, labelled `rule.<setting>` (bounds as params). */
function BoundedRule({
  setting,
  f,
  set,
}: {
  setting: BoundedSetting;
  f: Loose;
  set: (patch: Loose) => void;
}) {
  const { t } = useI18n();
  const bounds = SETTING_BOUNDS[setting];
  const property = SETTING_PROPERTY[setting];
  return (
    <NumberInput
      label={t(`rule.${setting}`, bounds)}
      value={f[property]}
      integer
      {...bounds}
      onChange={(v) => set({ [property]: v })}
    />
  );
}

function FileRules({ f, set }: { f: Loose; set: (patch: Loose) => void }) {
  const { t } = useI18n();
  return (
    <>
      <TextInput
        label={t("rule.accept")}
        hint={t("rule.acceptHint")}
        value={Array.isArray(f.accept) ? (f.accept as string[]).join(", ") : ""}
        onChange={(v) => {
          const list = v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          set({ accept: list.length ? list : undefined });
        }}
      />
      <div className="row">
        <NumberInput
          label={t("rule.maxSizeMb")}
          value={
            typeof f.maxSizeBytes === "number" ? Math.round((f.maxSizeBytes / MB) * 100) / 100 : undefined
          }
          min={0}
          onChange={(v) => set({ maxSizeBytes: v === undefined ? undefined : Math.round(v * MB) })}
        />
        <BoundedRule setting="maxFiles" f={f} set={set} />
      </div>
      <BoundedRule setting="imageMaxDimension" f={f} set={set} />
      <p className="hint">{t("rule.imageMaxDimensionHint")}</p>
    </>
  );
}
