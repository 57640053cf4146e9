/** @jsxImportSource preact */
import type { Answers, FormDefinition } from "@coleta/forms";
import { fireEvent, getByLabelText, getByRole, queryByLabelText, waitFor } from "@testing-library/dom";
import { render } from "preact";
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Locale } from "../i18n/core";
import { FormRenderer, type FormRendererProps } from "./FormRenderer";
import { type FormState, formState, withServerErrors } from "./form-state";
import type { Issue } from "./logic";
import { mountFormPreview } from "./mount";
import { everyTypeForm, twoPageForm } from "./test-fixtures";

let container: HTMLElement;
let scrollTo: ReturnType<typeof vi.fn>;
beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  scrollTo = vi.fn();
  vi.stubGlobal("scrollTo", scrollTo); // jsdom has no layout
});
afterEach(() => {
  render(null, container);
  container.remove();
  vi.unstubAllGlobals();
});

type HarnessProps = Omit<FormRendererProps, "locale" | "state" | "onStateChange"> & {
  locale?: Locale;
  initial?: Answers;
  initialPageId?: string;
  serverErrors?: Issue[];
  onAnswersChange?: (answers: Answers) => void;
};

/** The caller the renderer expects: it owns the state (here a useState) and applies every update. */
function Harness({ initial, initialPageId, serverErrors, onAnswersChange, ...props }: HarnessProps) {
  const [state, setState] = useState(() =>
    withServerErrors(props.definition, formState(initial, initialPageId), serverErrors ?? []),
  );
  return (
    <FormRenderer
      locale="en"
      {...props}
      state={state}
      onStateChange={(update) =>
        setState((prev) => {
          const next = update(prev);
          onAnswersChange?.(next.answers);
          return next;
        })
      }
    />
  );
}

function mount(node: preact.VNode) {
  act(() => render(node, container));
}

const click = (el: Element) => act(() => void fireEvent.click(el));
const type = (el: Element, value: string) => act(() => void fireEvent.input(el, { target: { value } }));

describe("FormRenderer", () => {
  it("renders every field type with an associated label", () => {
    mount(<Harness definition={everyTypeForm} initial={{ has_pet: true }} initialPageId="p1" />);
    for (const label of [/^Your name/, /^About you/, /^Age/, /^E-mail/, /^Phone/, /^Website/, /^City/]) {
      expect(getByLabelText(container, label)).toBeTruthy();
    }
    expect((getByLabelText(container, "Age") as HTMLInputElement).inputMode).toBe("numeric");
    expect((getByLabelText(container, "E-mail") as HTMLInputElement).type).toBe("email");
    expect((getByLabelText(container, "Phone") as HTMLInputElement).type).toBe("tel");
    expect((getByLabelText(container, "Website") as HTMLInputElement).type).toBe("url");
    expect(getByLabelText(container, "City").tagName).toBe("SELECT");
    expect(
      getByLabelText(container, "Your name", { exact: false }).getAttribute("aria-describedby"),
    ).toContain("help");
    const colours = getByRole(container, "group", { name: "Favourite colour" });
    expect(getByLabelText(colours, "Red").getAttribute("type")).toBe("radio");
    const fruits = getByRole(container, "group", { name: "Fruits" });
    expect(getByLabelText(fruits, "Pear").getAttribute("type")).toBe("checkbox");

    act(() => render(null, container));
    mount(<Harness definition={everyTypeForm} initial={{ has_pet: true }} initialPageId="p2" />);
    expect((getByLabelText(container, "Day") as HTMLInputElement).type).toBe("date");
    expect((getByLabelText(container, "Time") as HTMLInputElement).type).toBe("time");
    const rating = getByRole(container, "group", { name: "Rating" });
    expect(getByRole(rating, "radio", { name: "4 of 5 stars" })).toBeTruthy();
    const pet = getByRole(container, "group", { name: "Do you have a pet?" });
    expect(getByLabelText(pet, "Yes")).toBeTruthy();
    expect(getByLabelText(pet, "No")).toBeTruthy();
    expect(getByLabelText(container, "Pet's name")).toBeTruthy();
    const consent = getByRole(container, "group", { name: /Consent/ });
    expect(getByLabelText(consent, "I agree to the terms").getAttribute("type")).toBe("checkbox");
    const where = getByRole(container, "group", { name: "Location" });
    expect(getByRole(where, "button", { name: /Use my location/ })).toBeTruthy();
    expect(getByLabelText(where, "Latitude")).toBeTruthy();
    expect(getByLabelText(where, "Longitude")).toBeTruthy();
    const photo = getByLabelText(container, "Photo") as HTMLInputElement;
    expect(photo.type).toBe("file");
    expect(container.textContent).toContain("Files are sent with your answers");
  });

  it("shows and hides fields live from conditions", () => {
    mount(<Harness definition={twoPageForm} initialPageId="p2" />);
    expect(queryByLabelText(container, "Pet's name", { exact: false })).toBeNull();
    click(getByLabelText(container, "Yes"));
    expect(getByLabelText(container, "Pet's name", { exact: false })).toBeTruthy();
    click(getByLabelText(container, "No"));
    expect(queryByLabelText(container, "Pet's name", { exact: false })).toBeNull();
  });

  it("blocks Next on an invalid page, links errors with aria-describedby and focuses the first error", () => {
    mount(<Harness definition={twoPageForm} />);
    expect(container.textContent).toContain("Page 1 of 2");
    const bar = getByRole(container, "progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("1");
    click(getByRole(container, "button", { name: "Next" }));
    const name = getByLabelText(container, "Your name", { exact: false });
    expect(container.textContent).toContain("Page 1 of 2");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    const errorId = name.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(errorId)?.textContent).toContain("This question is required.");
    expect(document.activeElement).toBe(name);

    type(name, "Ana");
    expect(name.getAttribute("aria-invalid")).toBeNull(); // fixed live
    const age = getByLabelText(container, /^Age/);
    type(age, "12");
    click(getByRole(container, "button", { name: "Next" }));
    expect(document.activeElement).toBe(age);
    expect(container.textContent).toContain("Enter 18 or more.");

    type(age, "30");
    click(getByRole(container, "button", { name: "Next" }));
    expect(container.textContent).toContain("Page 2 of 2");
    expect(getByRole(container, "progressbar").getAttribute("aria-valuenow")).toBe("2");
    // A new page reads from its top: the window scrolls up and focus is on the page's heading.
    expect(scrollTo).toHaveBeenCalledWith(0, 0);
    expect(document.activeElement).toBe(getByRole(container, "heading", { name: "Pets" }));

    click(getByRole(container, "button", { name: "Back" }));
    expect((getByLabelText(container, "Your name", { exact: false }) as HTMLInputElement).value).toBe("Ana");
    expect((getByLabelText(container, /^Age/) as HTMLInputElement).value).toBe("30");
  });

  it("translates messages by code in pt-BR and submits normalized answers", () => {
    const onSubmit = vi.fn();
    mount(
      <Harness
        definition={twoPageForm}
        locale="pt-BR"
        initial={{ name: "Ana", age: 40, pet_name: "Rex" }}
        initialPageId="p2"
        onSubmit={onSubmit}
      />,
    );
    click(getByRole(container, "button", { name: "Enviar" }));
    expect(container.textContent).toContain("Esta pergunta é obrigatória.");
    expect(onSubmit).not.toHaveBeenCalled();
    click(getByLabelText(container, "Não"));
    click(getByRole(container, "button", { name: "Enviar" }));
    // pet_name is hidden again, so it is dropped from what is submitted.
    expect(onSubmit).toHaveBeenCalledWith({ name: "Ana", age: 40, has_pet: false });
  });

  it("goes to the page of the first server error and shows it next to the field", () => {
    mount(
      <Harness
        definition={twoPageForm}
        initial={{ name: "Ana", age: 40, has_pet: false }}
        initialPageId="p2"
        serverErrors={[{ path: "name", code: "too_long", message: "Too long", params: { max: 2 } }]}
      />,
    );
    const name = getByLabelText(container, "Your name", { exact: false });
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(container.textContent).toContain("Enter at most 2 characters.");
    expect(document.activeElement).toBe(name);
  });

  it("parses a decimal comma and reports a non-number", () => {
    const changes: Answers[] = [];
    const def: FormDefinition = {
      schemaVersion: 1,
      title: "N",
      pages: [{ id: "p", fields: [{ id: "w", type: "number", label: "Weight" }] }],
    };
    mount(<Harness definition={def} onAnswersChange={(a) => changes.push(a)} />);
    type(getByLabelText(container, "Weight"), "1,5");
    expect(changes.at(-1)).toEqual({ w: 1.5 });
    type(getByLabelText(container, "Weight"), "abc");
    click(getByRole(container, "button", { name: "Submit" }));
    expect(container.textContent).toContain("Enter a number.");
  });
});

describe("FormRenderer, controlled by its caller", () => {
  it("shows the page and answers of the state it is given, with no remount and no copy of its own", () => {
    const onStateChange = vi.fn();
    const draw = (state: FormState) =>
      mount(
        <FormRenderer definition={twoPageForm} locale="en" state={state} onStateChange={onStateChange} />,
      );
    draw(formState({ name: "Ana", age: 30 }, "p2"));
    expect(getByRole(container, "heading", { name: "Pets" })).toBeTruthy();
    const form = container.querySelector("form");
    draw(formState({ name: "Bia", age: 31 }, "p1"));
    expect(container.querySelector("form")).toBe(form);
    expect((getByLabelText(container, /^Your name/) as HTMLInputElement).value).toBe("Bia");
    expect((getByLabelText(container, /^Age/) as HTMLInputElement).value).toBe("31");
    // A number typed as "1," stays as typed while it means the answer; the caller's reset wins.
    type(getByLabelText(container, /^Age/), "4,");
    const update = onStateChange.mock.calls.at(-1)?.[0] as (s: FormState) => FormState;
    expect(update(formState({ name: "Bia" }, "p1")).answers).toEqual({ name: "Bia", age: 4 });
    draw(formState({}, "p1"));
    expect((getByLabelText(container, /^Age/) as HTMLInputElement).value).toBe("");
  });

  it("says the page number once on an untitled page, as its heading", () => {
    const untitled: FormDefinition = {
      ...twoPageForm,
      pages: twoPageForm.pages.map(({ title: _title, ...page }) => page),
    };
    mount(<Harness definition={untitled} />);
    expect(container.textContent?.match(/Page 1 of 2/g)).toHaveLength(1);
    expect(getByRole(container, "heading", { name: "Page 1 of 2" })).toBeTruthy();
    expect(getByRole(container, "progressbar", { name: "Page 1 of 2" })).toBeTruthy();
  });

  it("counts errors with the language's plural rules", () => {
    mount(<Harness definition={twoPageForm} locale="pt-BR" />);
    click(getByRole(container, "button", { name: "Próxima" }));
    expect(container.textContent).toContain("Corrija 2 respostas nesta página.");
    expect(container.textContent).not.toContain("(s)");
  });

  it("marks every kind of invalid input with aria-invalid", () => {
    const required = (field: Record<string, unknown>) => ({
      required: true,
      label: String(field.id),
      ...field,
    });
    const options = [
      { value: "a", label: "A" },
      { value: "b", label: "B" },
    ];
    const def = {
      schemaVersion: 1,
      title: "All required",
      pages: [
        {
          id: "p",
          fields: [
            required({ id: "text", type: "short_text" }),
            required({ id: "count", type: "number" }),
            required({ id: "day", type: "date" }),
            required({ id: "city", type: "dropdown", options }),
            required({ id: "one", type: "single_choice", options }),
            required({ id: "many", type: "multiple_choice", options }),
            required({ id: "pet", type: "yes_no" }),
            required({ id: "stars", type: "rating" }),
            required({ id: "agree", type: "consent", text: "I agree" }),
            required({ id: "where", type: "geopoint" }),
            required({ id: "photo", type: "file" }),
          ],
        },
      ],
    } as FormDefinition;
    mount(<Harness definition={def} />);
    click(getByRole(container, "button", { name: "Submit" }));
    const fields = [...container.querySelectorAll("[data-field]")];
    expect(fields).toHaveLength(11);
    for (const field of fields) {
      const inputs = [...field.querySelectorAll("input, select, textarea")];
      expect(inputs.length, field.getAttribute("data-field") ?? "").toBeGreaterThan(0);
      for (const input of inputs) expect(input.getAttribute("aria-invalid"), input.id).toBe("true");
    }
  });

  it("shows the file picker in the form's language, keyboard reachable through the hidden native input", async () => {
    const def: FormDefinition = {
      schemaVersion: 1,
      title: "F",
      pages: [{ id: "p", fields: [{ id: "photo", type: "file", label: "Foto", maxFiles: 3 }] }],
    };
    mount(<Harness definition={def} locale="pt-BR" />);
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    // Visually hidden (the .visually-hidden clip), not display:none nor out of the tab order.
    expect(input.classList.contains("visually-hidden")).toBe(true);
    expect(input.tabIndex).toBe(0);
    expect(input.hidden).toBe(false);
    const name = (input.getAttribute("aria-labelledby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent)
      .join(" ");
    expect(name).toBe("Foto Escolher arquivos");
    const button = container.querySelector(`label[for="${input.id}"].cf-button`);
    expect(button?.textContent).toBe("Escolher arquivos");
    const chosen = () => document.getElementById(`${input.id}-chosen`)?.textContent;
    expect(chosen()).toBe("Nenhum arquivo escolhido");
    expect(input.getAttribute("aria-describedby")).toContain(`${input.id}-chosen`);

    const files = [
      new File(["a"], "a.png", { type: "image/png" }),
      new File(["b"], "b.png", { type: "image/png" }),
    ];
    Object.defineProperty(input, "files", { value: files });
    await act(async () => void fireEvent.change(input));
    await waitFor(() => expect(chosen()).toBe("2 arquivos escolhidos"));
    expect(container.textContent).toContain("a.png");
  });
});

describe("mountFormPreview", () => {
  it("renders, updates live, validates without submitting, and unmounts", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    let handle!: ReturnType<typeof mountFormPreview>;
    act(() => {
      handle = mountFormPreview(container, { definition: twoPageForm, locale: "en" });
    });
    expect(getByRole(container, "heading", { name: "Survey" })).toBeTruthy();
    type(getByLabelText(container, "Your name", { exact: false }), "Ana");
    act(() => handle.update({ ...twoPageForm, title: "Renamed" }, "pt-BR"));
    expect(getByRole(container, "heading", { name: "Renamed" })).toBeTruthy();
    expect((getByLabelText(container, "Your name", { exact: false }) as HTMLInputElement).value).toBe("Ana");
    expect(getByRole(container, "button", { name: "Próxima" })).toBeTruthy();
    const single: FormDefinition = {
      ...twoPageForm,
      pages: [twoPageForm.pages[0] as FormDefinition["pages"][0]],
    };
    act(() => handle.update(single, "en"));
    type(getByLabelText(container, /^Age/), "20");
    click(getByRole(container, "button", { name: "Check answers" }));
    expect(container.textContent).toContain("Nothing was sent");
    expect(fetchSpy).not.toHaveBeenCalled();
    act(() => handle.unmount());
    expect(container.innerHTML).toBe("");
    fetchSpy.mockRestore();
  });
});
