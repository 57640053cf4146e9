/** @jsxImportSource preact */
import { render } from "preact";
import { useState } from "preact/hooks";
import type { Locale } from "../i18n/core";
import { FormRenderer } from "./FormRenderer";
import { formState } from "./form-state";
import type { FormDefinition } from "./logic";
import "../visually-hidden.css";
import "./renderer.css";

export interface FormPreviewOptions {
  definition: FormDefinition;
  locale: Locale;
}

export interface FormPreviewHandle {
  update(definition: FormDefinition, locale: Locale): void;
  unmount(): void;
}

let previewCount = 0;

function Preview(props: FormPreviewOptions & { idPrefix: string }) {
  // Answers typed in the preview (and its page) survive definition edits, so the builder can tweak a
  // condition and see it; a page that no longer exists shows as the first.
  const [state, setState] = useState(formState);
  return (
    <FormRenderer
      definition={props.definition}
      locale={props.locale}
      state={state}
      onStateChange={setState}
      mode="preview"
      idPrefix={props.idPrefix}
    />
  );
}

/**
 * Framework-neutral mount for the builder's live preview (React or anything else): renders the
 * Preact form renderer into `el` in preview mode (validates, never submits).
 */
export function mountFormPreview(el: HTMLElement, options: FormPreviewOptions): FormPreviewHandle {
  const idPrefix = `cfp${++previewCount}`;
  const draw = (definition: FormDefinition, locale: Locale) =>
    render(<Preview definition={definition} locale={locale} idPrefix={idPrefix} />, el);
  draw(options.definition, options.locale);
  return {
    update: (definition, locale) => draw(definition, locale),
    unmount: () => render(null, el),
  };
}
