// The renderer and fill tests' sample forms live with the other samples in @coleta/forms/testing.
export { everyTypeForm, twoPageForm } from "@coleta/forms/testing";
