import type { FormDefinition } from "@coleta/forms";

/** One field of every type, over two pages, with a condition. Shared by renderer and fill tests. */
export const everyTypeForm: FormDefinition = {
  schemaVersion: 1,
  title: "Every field",
  description: "All types",
  pages: [
    {
      id: "p1",
      title: "First",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true, help: "As on your ID" },
        { id: "bio", type: "long_text", label: "About you" },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
        { id: "email", type: "email", label: "E-mail" },
        { id: "phone", type: "phone", label: "Phone" },
        { id: "site", type: "url", label: "Website" },
        {
          id: "color",
          type: "single_choice",
          label: "Favourite colour",
          options: [
            { value: "red", label: "Red" },
            { value: "blue", label: "Blue" },
          ],
        },
        {
          id: "fruits",
          type: "multiple_choice",
          label: "Fruits",
          options: [
            { value: "apple", label: "Apple" },
            { value: "pear", label: "Pear" },
          ],
        },
        {
          id: "city",
          type: "dropdown",
          label: "City",
          options: [
            { value: "poa", label: "Porto Alegre" },
            { value: "rec", label: "Recife" },
          ],
        },
      ],
    },
    {
      id: "p2",
      title: "Second",
      fields: [
        { id: "day", type: "date", label: "Day" },
        { id: "at", type: "time", label: "Time" },
        { id: "stars", type: "rating", label: "Rating", max: 5 },
        { id: "has_pet", type: "yes_no", label: "Do you have a pet?" },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet's name",
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
        { id: "agree", type: "consent", label: "Consent", text: "I agree to the terms", required: true },
        { id: "where", type: "geopoint", label: "Location" },
        { id: "photo", type: "file", label: "Photo", accept: ["image/*"] },
      ],
    },
  ],
};

export const twoPageForm: FormDefinition = {
  schemaVersion: 1,
  title: "Survey",
  pages: [
    {
      id: "p1",
      title: "About you",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true },
        { id: "age", type: "number", label: "Age", min: 18, required: true },
      ],
    },
    {
      id: "p2",
      title: "Pets",
      fields: [
        { id: "has_pet", type: "yes_no", label: "Do you have a pet?", required: true },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet's name",
          required: true,
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
      ],
    },
  ],
};
