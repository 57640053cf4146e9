/** @jsxImportSource preact */
import type { Answers, FormDefinition } from "@coleta/forms";
import { fireEvent, getByLabelText, getByRole, queryByLabelText } from "@testing-library/dom";
import { render } from "preact";
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Locale } from "../i18n/core";
import { FormRenderer, type FormRendererProps } from "./FormRenderer";
import { mountFormPreview } from "./mount";
import { everyTypeForm, twoPageForm } from "./test-fixtures";

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function Harness(
  props: Partial<FormRendererProps> & { definition: FormDefinition; locale?: Locale; initial?: Answers },
) {
  const [answers, setAnswers] = useState<Answers>(props.initial ?? {});
  return (
    <FormRenderer
      locale="en"
      {...props}
      answers={answers}
      onAnswersChange={(a) => {
        setAnswers(a);
        props.onAnswersChange?.(a);
      }}
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
