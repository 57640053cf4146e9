import {
  type Condition,
  type ConditionOp,
  conditionOpsFor,
  type Field,
  type FieldCondition,
} from "@coleta/forms";
import { useId } from "react";
import { useI18n } from "../i18n";
import {
  changeRuleField,
  changeRuleOp,
  defaultRule,
  fromGroup,
  opNeedsValue,
  type RuleGroup,
  toGroup,
  valueKind,
} from "./condition-rules";
import { DecimalInput } from "./inputs";
import { displayName } from "./names";

interface Props {
  /** "field" or "page": only changes the wording. */
  target: "field" | "page";
  condition: Condition | null | undefined;
  /** Fields that come earlier in the form: the only ones a condition may use. */
  earlier: Field[];
  onChange: (condition: Condition | null) => void;
}

function fieldName(field: Field): string {
  return field.label ? `${displayName(field)} (${field.id})` : field.id;
}

function ValueInput({
  rule,
  field,
  onChange,
  label,
}: {
  rule: FieldCondition;
  field: Field;
  onChange: (value: FieldCondition["value"]) => void;
  label: string;
}) {
  const { t } = useI18n();
  const kind = valueKind(field.type);
  if (kind === "option" && "options" in field) {
    return (
      <select aria-label={label} value={String(rule.value ?? "")} onChange={(e) => onChange(e.target.value)}>
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label || o.value}
          </option>
        ))}
      </select>
    );
  }
  if (kind === "boolean") {
    return (
      <select
        aria-label={label}
        value={rule.value === false ? "false" : "true"}
        onChange={(e) => onChange(e.target.value === "true")}
      >
        <option value="true">{t("common.yes")}</option>
        <option value="false">{t("common.no")}</option>
      </select>
    );
  }
  if (kind === "number") {
    return (
      <DecimalInput
        label={label}
        value={typeof rule.value === "number" ? rule.value : undefined}
        rule={{ required: true }}
        onChange={onChange}
      />
    );
  }
  const type = kind === "date" ? "date" : kind === "time" ? "time" : "text";
  return (
    <input
      aria-label={label}
      type={type}
      value={String(rule.value ?? "")}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** "Show this field/page when …": rules built from earlier fields, valid operators and fitting values. */
export function ConditionEditor({ target, condition, earlier, onChange }: Props) {
  const { t } = useI18n();
  const headingId = useId();
  const group = toGroup(condition);
  const byId = new Map(earlier.map((f) => [f.id, f]));

  if (!group) {
    return (
      <fieldset className="condition-editor">
        <legend>{t(`condition.title.${target}`)}</legend>
        <p className="hint">{t("condition.advanced")}</p>
        <button type="button" className="button button-small" onClick={() => onChange(null)}>
          {t("condition.clear")}
        </button>
      </fieldset>
    );
  }

  const update = (next: RuleGroup) => onChange(fromGroup(next));
  const setRule = (index: number, rule: FieldCondition) =>
    update({ ...group, rules: group.rules.map((r, i) => (i === index ? rule : r)) });

  return (
    <fieldset className="condition-editor" aria-describedby={headingId}>
      <legend>{t(`condition.title.${target}`)}</legend>
      <p id={headingId} className="hint">
        {group.rules.length === 0 ? t(`condition.always.${target}`) : t("condition.earlierOnly")}
      </p>
      {group.rules.length > 1 ? (
        <label className="inline-field">
          <span>{t("condition.match")}</span>
          <select
            value={group.mode}
            onChange={(e) => update({ ...group, mode: e.target.value as "all" | "any" })}
          >
            <option value="all">{t("condition.mode.all")}</option>
            <option value="any">{t("condition.mode.any")}</option>
          </select>
        </label>
      ) : null}
      <ol className="rules">
        {group.rules.map((rule, index) => {
          const field = byId.get(rule.field);
          const n = index + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity besides their position.
            <li key={index} className="rule" data-testid="condition-rule">
              <select
                aria-label={t("condition.field", { n })}
                value={field ? rule.field : ""}
                onChange={(e) => {
                  const next = byId.get(e.target.value);
                  if (next) setRule(index, changeRuleField(rule, next));
                }}
              >
                {!field ? <option value="">{t("condition.missingField")}</option> : null}
                {earlier.map((f) => (
                  <option key={f.id} value={f.id}>
                    {fieldName(f)}
                  </option>
                ))}
              </select>
              {field ? (
                <>
                  <select
                    aria-label={t("condition.operator", { n })}
                    value={rule.op}
                    onChange={(e) => setRule(index, changeRuleOp(rule, e.target.value as ConditionOp, field))}
                  >
                    {conditionOpsFor(field.type).map((op) => (
                      <option key={op} value={op}>
                        {t(`op.${op}`)}
                      </option>
                    ))}
                  </select>
                  {opNeedsValue(rule.op) ? (
                    <ValueInput
                      rule={rule}
                      field={field}
                      label={t("condition.value", { n })}
                      onChange={(value) =>
                        setRule(index, { ...rule, ...(value === undefined ? {} : { value }) })
                      }
                    />
                  ) : null}
                </>
              ) : null}
              <button
                type="button"
                className="button button-small"
                onClick={() => update({ ...group, rules: group.rules.filter((_, i) => i !== index) })}
              >
                {t("condition.remove", { n })}
              </button>
            </li>
          );
        })}
      </ol>
      {earlier.length === 0 ? (
        <p className="hint">{t(`condition.noEarlier.${target}`)}</p>
      ) : (
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            update({ ...group, rules: [...group.rules, defaultRule(earlier[earlier.length - 1] as Field)] })
          }
        >
          {t("condition.add")}
        </button>
      )}
    </fieldset>
  );
}
