// The console's sign-in page: a staff member's email or phone and password, through the same
// `signIn` mutation as the storefront. A customer account is refused here; the API refuses
// it everywhere else anyway.

import { h } from "../lib/dom.js";
import { field, formActions, input, showErrors, submitButton } from "../lib/forms.js";
import { t, uiLocale } from "../lib/i18n.js";
import { client, loadViewer, session, SESSION_FIELDS } from "./api.js";

const SIGN_IN = `
mutation ConsoleSignIn($input: SignInInput!) {
  signIn(input: $input) { session { ${SESSION_FIELDS} } errors { field code message retryAfter } }
}`;

/** Draws the sign-in form in `view`; `done()` runs once a staff member is signed in. */
export function showSignIn(view, { done, notice = null }) {
  const login = input({ name: "login", autocomplete: "username", required: true, maxlength: 254, inputmode: "email" });
  const password = input({ name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 1024 });
  const form = h("form", { class: "form", novalidate: true },
    notice ? h("p", { class: "form-alert", role: "alert" }, notice) : null,
    field(t("signin.login"), login),
    field(t("signin.password"), password),
    formActions(submitButton(t("signin.submit")), h("a", { href: "/" }, t("signin.storefront"))));
  view.replaceChildren(h("div", { class: "signin" }, h("div", { class: "panel" }, h("h1", {}, t("signin.title")), form)));
  login.focus();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll(".field-error, .form-alert")) el.remove();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = await client.request(SIGN_IN, { input: { login: login.value.trim(), password: password.value } }, { locale: uiLocale, auth: false });
      const { session: started, errors } = data.signIn;
      if (!started) return showErrors(form, errors);
      session.start(started);
      if (!(await loadViewer())) {
        await session.signOut();
        return form.prepend(h("p", { class: "form-alert", role: "alert" }, t("signin.notStaff")));
      }
      done();
    } catch (err) {
      showErrors(form, [{ message: err.message }]);
    } finally {
      button.disabled = false;
    }
  });
}
