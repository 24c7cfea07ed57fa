// Signing in (password or a code sent to the phone), registering with an email code,
// resetting a password, and signing in with an OAuth provider (there and back).

import { fill, h } from "../lib/dom.js";
import { field, formActions, formValues, input, note, showErrors, submitButton } from "../lib/forms.js";
import { t, uiLocale } from "../lib/i18n.js";
import { navigate } from "../lib/router.js";
import { SESSION_FIELDS } from "../lib/session.js";
import { gql, mutate, session, signedIn } from "../shop/api.js";
import { mergeGuestCart } from "../shop/cart.js";
import { applyChrome } from "../shop/chrome.js";
import { pageHref, parseHash } from "../shop/routes.js";
import { authCard } from "../shop/ui.js";
import { forgetList } from "./catalog.js";

const ACCOUNT_ERRORS = "errors { field code message retryAfter }";
const SESSION_PAYLOAD = `session { ${SESSION_FIELDS} } ${ACCOUNT_ERRORS}`;
const AUTH = {
  signIn: `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${SESSION_PAYLOAD} } }`,
  requestPhoneCode: `mutation PhoneCode($input: RequestPhoneCodeInput!) {
    requestPhoneCode(input: $input) { ${ACCOUNT_ERRORS} } }`,
  signInWithPhoneCode: `mutation PhoneSignIn($input: SignInWithPhoneCodeInput!) {
    signInWithPhoneCode(input: $input) { ${SESSION_PAYLOAD} } }`,
  registerWithEmail: `mutation Register($input: RegisterWithEmailInput!) {
    registerWithEmail(input: $input) { email ${ACCOUNT_ERRORS} } }`,
  resendEmailVerification: `mutation Resend($email: String!) {
    resendEmailVerification(email: $email) { ${ACCOUNT_ERRORS} } }`,
  verifyEmail: `mutation Verify($input: VerifyEmailInput!) { verifyEmail(input: $input) { ${SESSION_PAYLOAD} } }`,
  requestPasswordReset: `mutation ResetCode($login: String!) {
    requestPasswordReset(login: $login) { ${ACCOUNT_ERRORS} } }`,
  resetPassword: `mutation Reset($input: ResetPasswordInput!) { resetPassword(input: $input) { ${SESSION_PAYLOAD} } }`,
  startOAuthSignIn: `mutation OAuthStart($input: StartOAuthSignInInput!) {
    startOAuthSignIn(input: $input) { authorizationUrl state browserKey ${ACCOUNT_ERRORS} } }`,
  completeOAuthSignIn: `mutation OAuthComplete($input: CompleteOAuthSignInInput!) {
    completeOAuthSignIn(input: $input) { ${SESSION_PAYLOAD} } }`,
};
const PROVIDERS_QUERY = "query Providers { oauthProviders }";
const PROVIDER_NAMES = { GOOGLE: "Google", FACEBOOK: "Facebook", WECHAT: "WeChat", QQ: "QQ" };
const OAUTH_KEY = "tradewind.oauth"; // {provider, state, lang} of the provider sign-in under way

let providersPromise = null;
let oauthProblems = null; // why the provider sign-in just returned from failed

/** Takes the session of a sign-in: the list is loaded again for the member, the guest cart merged. */
async function begin(s) {
  session.start(s);
  forgetList();
  await mergeGuestCart();
}

async function signedInWith(s, state) {
  await begin(s);
  navigate(pageHref("account", state));
}

export function showSignIn(view, state) {
  if (signedIn()) return navigate(pageHref("account", state));
  document.title = `${t("signIn")} · Tradewind`;
  const forms = { password: passwordSignInForm(state), phone: phoneSignInForm(state) };
  const body = h("div", {}, forms.password);
  const methods = h("div", { class: "segmented", role: "group", "aria-label": t("signInMethod") },
    [["password", t("withPassword")], ["phone", t("withPhoneCode")]].map(([key, label]) =>
      h("button", {
        type: "button",
        "aria-pressed": String(key === "password"),
        onclick: (e) => {
          for (const b of methods.children) b.setAttribute("aria-pressed", String(b === e.currentTarget));
          body.replaceChildren(forms[key]);
        },
      }, label)));
  fill(view, authCard(t("signIn"), providerButtons(state), methods, body,
    h("p", { class: "auth-alt" }, t("noAccount"), " ", h("a", { href: pageHref("register", state) }, t("createAccount")))));
  if (oauthProblems) {
    showErrors(forms.password, oauthProblems);
    oauthProblems = null;
  }
}

function passwordSignInForm(state) {
  const form = h("form", {
    class: "form",
    onsubmit: async (e) => {
      e.preventDefault();
      const { login, password } = formValues(form);
      const payload = await mutate(form, AUTH.signIn, { input: { login, password } });
      if (payload) signedInWith(payload.session, state);
    },
  },
  field(t("emailOrPhone"), input({ name: "login", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true })),
  field(t("password"), input({ name: "password", type: "password", autocomplete: "current-password", required: true })),
  formActions(submitButton(t("signIn")), h("a", { class: "form-link", href: pageHref("forgot-password", state) }, t("forgotPassword"))));
  return form;
}

function phoneSignInForm(state) {
  const form = h("form", { class: "form" });
  let phone = "";
  const sendCode = () => mutate(form, AUTH.requestPhoneCode, { input: { phone } });
  const askPhone = () => {
    fill(form,
      field(t("phone"), input({ name: "phone", type: "tel", autocomplete: "tel", required: true, value: phone }), { hint: t("phoneHint") }),
      formActions(submitButton(t("sendCode"))));
    form.onsubmit = async (e) => {
      e.preventDefault();
      phone = formValues(form).phone;
      if (await sendCode()) codeStep(form, {
        to: phone,
        submitLabel: t("signIn"),
        resend: sendCode,
        back: askPhone,
        onSubmit: async ({ code }) => {
          const payload = await mutate(form, AUTH.signInWithPhoneCode, { input: { phone, code } });
          if (payload) signedInWith(payload.session, state);
        },
      });
    };
  };
  askPhone();
  return form;
}

/** The step of a flow that asks for the code just sent to `to`, with "send again". */
function codeStep(form, { to, extra = null, submitLabel, onSubmit, resend, back = null }) {
  fill(form,
    h("p", { class: "form-intro" }, t("codeSentTo", { to })),
    field(t("code"), input({ name: "code", autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6, required: true })),
    extra,
    formActions(submitButton(submitLabel),
      h("button", {
        type: "button",
        class: "button button-secondary",
        onclick: async () => {
          if (await resend()) note(form, t("codeResent"));
        },
      }, t("sendAgain")),
      back ? h("button", { type: "button", class: "form-link link-button", onclick: back }, t("changeLogin")) : null));
  form.onsubmit = (e) => {
    e.preventDefault();
    onSubmit(formValues(form));
  };
  form.elements.code.focus();
}

export function showRegister(view, state) {
  if (signedIn()) return navigate(pageHref("account", state));
  document.title = `${t("createAccount")} · Tradewind`;
  let email = "";
  const form = h("form", { class: "form" },
    field(t("email"), input({ name: "email", type: "email", autocomplete: "email", required: true })),
    field(t("password"), input({ name: "password", type: "password", autocomplete: "new-password", minlength: 10, required: true }),
      { hint: t("passwordHint") }),
    field(t("nickname"), input({ name: "nickname", autocomplete: "nickname", maxlength: 60 }), { optional: true }),
    formActions(submitButton(t("createAccount"))));
  // Each step sets `form.onsubmit`, so that the code step replaces it.
  form.onsubmit = async (e) => {
    e.preventDefault();
    const { password, nickname = "", ...v } = formValues(form);
    const registration = { email: v.email, password, nickname, locale: state.lang };
    const payload = await mutate(form, AUTH.registerWithEmail, { input: registration });
    if (!payload) return;
    email = payload.email || v.email;
    codeStep(form, {
      to: email,
      submitLabel: t("confirm"),
      resend: () => mutate(form, AUTH.resendEmailVerification, { email }),
      onSubmit: async ({ code }) => {
        // The code confirms the registration made with this password, and no other.
        const verified = await mutate(form, AUTH.verifyEmail, { input: { email, code, password } });
        if (verified) signedInWith(verified.session, state);
      },
    });
  };
  fill(view, authCard(t("createAccount"), providerButtons(state), form,
    h("p", { class: "auth-alt" }, t("haveAccount"), " ", h("a", { href: pageHref("sign-in", state) }, t("signIn")))));
}

export function showForgotPassword(view, state) {
  document.title = `${t("resetPassword")} · Tradewind`;
  const form = h("form", { class: "form" },
    h("p", { class: "form-intro" }, t("resetIntro")),
    field(t("emailOrPhone"), input({ name: "login", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true })),
    formActions(submitButton(t("sendCode"))));
  form.onsubmit = async (e) => {
    e.preventDefault();
    const { login } = formValues(form);
    const sendCode = () => mutate(form, AUTH.requestPasswordReset, { login });
    if (!(await sendCode())) return;
    codeStep(form, {
      to: login,
      extra: field(t("newPassword"), input({ name: "newPassword", type: "password", autocomplete: "new-password", minlength: 10, required: true }),
        { hint: t("passwordHint") }),
      submitLabel: t("setPassword"),
      resend: sendCode,
      onSubmit: async ({ code, newPassword }) => {
        const payload = await mutate(form, AUTH.resetPassword, { input: { login, code, newPassword } });
        if (payload) signedInWith(payload.session, state);
      },
    });
  };
  fill(view, authCard(t("resetPassword"), form,
    h("p", { class: "auth-alt" }, h("a", { href: pageHref("sign-in", state) }, t("backToSignIn")))));
}

// ----- sign-in with a provider

/** Buttons for the providers the shop has enabled; empty (and hidden) when there are none. */
function providerButtons(state) {
  const box = h("div", { class: "providers" });
  providersPromise ||= gql(PROVIDERS_QUERY, {}, uiLocale, { auth: false })
    .then((data) => data.oauthProviders)
    .catch(() => {
      providersPromise = null;
      return [];
    });
  providersPromise.then((providers) => {
    if (!providers.length) return;
    fill(box,
      providers.map((provider) =>
        h("button", { type: "button", class: "button button-secondary", onclick: () => startOAuth(provider, box, state) },
          t("continueWith", { provider: PROVIDER_NAMES[provider] || provider }))),
      h("p", { class: "divider" }, h("span", {}, t("or"))));
  });
  return box;
}

/** The provider sends the browser back to ?oauth=<PROVIDER>&code=..&state=.. (no hash). */
const oauthRedirectUri = (provider) => `${location.origin}${location.pathname}?oauth=${provider}`;

async function startOAuth(provider, box, state) {
  const payload = await mutate(box, AUTH.startOAuthSignIn, { input: { provider, redirectUri: oauthRedirectUri(provider) } });
  if (!payload) return;
  // The key stays in this browser: only it can complete the sign-in it started.
  sessionStorage.setItem(OAUTH_KEY, JSON.stringify({
    provider, state: payload.state, browserKey: payload.browserKey,
    lang: state.langExplicit ? state.lang : null,
  }));
  location.assign(payload.authorizationUrl);
}

/** On load, back from a provider: finish signing in, unless the state is not the one we started. */
export async function completeOAuth() {
  const params = new URLSearchParams(location.search);
  const provider = params.get("oauth");
  if (!provider) return;
  let started = null;
  try {
    started = JSON.parse(sessionStorage.getItem(OAUTH_KEY));
  } catch {
    /* nothing started */
  }
  sessionStorage.removeItem(OAUTH_KEY);
  const lang = started?.lang ? `?lang=${started.lang}` : "";
  history.replaceState(null, "", `${location.pathname}#/sign-in${lang}`);
  applyChrome(parseHash().state);
  const { code, state } = Object.fromEntries(params);
  // Another state is someone else's sign-in (or a forged callback): never send it on.
  if (!code || !started || started.provider !== provider || !state || started.state !== state) {
    oauthProblems = [{ message: t("oauthFailed") }];
    return;
  }
  try {
    const input = { provider, state, code, browserKey: started.browserKey };
    const data = await gql(AUTH.completeOAuthSignIn, { input }, uiLocale, { auth: false });
    const { session: s, errors } = data.completeOAuthSignIn;
    if (s) {
      await begin(s);
      history.replaceState(null, "", `${location.pathname}#/account${lang}`);
    } else oauthProblems = errors;
  } catch (err) {
    oauthProblems = [{ message: err.message }];
  }
}
