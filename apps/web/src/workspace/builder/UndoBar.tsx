import { type Dispatch, useEffect, useRef } from "react";
import { useI18n } from "../i18n";
import type { BuilderAction, Removed } from "./model";
import { displayName } from "./names";

/**
 * After a question is deleted: "Deleted “…”. Undo" until the next edit. The Undo button takes the
 * focus (the deleted card's button is gone), so Enter right away brings the question back.
 */
export function UndoBar({
  removed,
  dispatch,
  onUndone,
}: {
  removed: Removed | null;
  dispatch: Dispatch<BuilderAction>;
  /** Called with the restored question's id, to put the focus back on it. */
  onUndone: (id: string) => void;
}) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (removed) button.current?.focus();
  }, [removed]);
  if (!removed) return null;
  const name = displayName({ label: removed.label, id: removed.id });
  return (
    <div className="undo-bar" data-testid="undo-bar">
      <span>{t("builder.fieldDeleted", { name })}</span>
      <button
        ref={button}
        type="button"
        className="button button-small"
        aria-label={t("builder.undoDelete", { name })}
        onClick={() => {
          dispatch({ type: "undoRemove" });
          onUndone(removed.id);
        }}
      >
        {t("builder.undo")}
      </button>
    </div>
  );
}
