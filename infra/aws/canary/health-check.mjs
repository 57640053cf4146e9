// @ts-check
/**
 * CloudWatch Synthetics canary (runtime syn-nodejs-playwright, handler "health-check.handler"):
 * every 5 minutes, like a respondent, open the published health-check form and send one answer.
 *
 *   step "open-form"     → the frontend team's alarm (the page at /frontend/f/<slug> shows the form)
 *   step "submit-answer" → the backend team's alarm  (the API stores an answer: 201, or 200 on a retry)
 *
 * Both steps run on every run, so a broken page does not hide a working API or the other way round;
 * the run fails if either failed. The logic lives in steps.mjs (tested locally); this file only
 * wires it to the Synthetics library, which exists only inside the canary runtime.
 * Settings come from environment variables set by the stack (no secrets): COLETA_BASE_URL,
 * COLETA_FORM_SLUG, COLETA_STEP_TIMEOUT_MS.
 */
import { synthetics } from "@aws/synthetics-playwright";
import { openForm, STEPS, settingsFromEnv, submitAnswer } from "./steps.mjs";

export const handler = async () => {
  const browser = await synthetics.launch();
  try {
    const page = await synthetics.newPage(browser);
    /** @type {unknown} */
    let openFailure = null;
    try {
      // Settings are read inside each step: a misconfiguration then shows as failed steps (and
      // alarms) instead of a run that fails before any step reports.
      await synthetics.executeStep(STEPS.openForm, () => openForm(page, settingsFromEnv(process.env)));
    } catch (error) {
      openFailure = error;
    }
    await synthetics.executeStep(STEPS.submitAnswer, () =>
      submitAnswer(page.request, settingsFromEnv(process.env)),
    );
    if (openFailure) throw openFailure;
  } finally {
    await synthetics.close();
  }
};
