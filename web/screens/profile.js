// The member's own data on the account page: the profile with its picture, the password, and
// privacy (a copy of everything the shop keeps, and deleting the account). Forms keep what was
// typed when the API refuses it, with each error next to its field.

import { fill, h } from "../lib/dom.js";
import { clearErrors, field, formActions, formValues, input, noteText, select, showErrors, submitButton } from "../lib/forms.js";
import { t, uiLocale } from "../lib/i18n.js";
import { SESSION_FIELDS } from "../lib/session.js";
import { gql, mutate, session, upload } from "../shop/api.js";
import { renderAccountNav } from "../shop/chrome.js";
import { currencyOptions } from "../shop/currency.js";
import { LOCALES } from "../shop/locales.js";
import { authCard, panel } from "../shop/ui.js";

const MEMBER_ERRORS = "errors { field code message }";
/** The profile fields the account page reads and edits. */
export const PROFILE_FIELDS = "nickname gender birthday contactEmail contactPhone locale currency avatarUrl hasPassword";
const UPDATE_PROFILE = `mutation Profile($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { id email phone nickname } ${MEMBER_ERRORS} } }`;
const UPLOAD_AVATAR = `mutation Avatar($input: UploadAvatarInput!) {
  uploadAvatar(input: $input) { user { id avatarUrl } ${MEMBER_ERRORS} } }`;
const CHANGE_PASSWORD = `mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) { session { ${SESSION_FIELDS} } errors { field code message retryAfter } } }`;
const EXPORT_MY_DATA = "query ExportMyData { exportMyData }";
const DELETE_MY_ACCOUNT = `mutation DeleteMyAccount($input: DeleteMyAccountInput!) {
  deleteMyAccount(input: $input) { deletedAt ${MEMBER_ERRORS} } }`;

const GENDERS = ["UNSPECIFIED", "FEMALE", "MALE", "OTHER"];
const AVATAR_TYPES = "image/jpeg,image/png,image/webp,image/gif";
/** What the API asks a member to type to confirm deleting the account. */
const DELETE_WORD = "DELETE";
// Left empty, these are cleared (null); the API keeps a field only when it is left out.
const CLEARABLE = ["birthday", "contactEmail", "contactPhone", "locale", "currency"];

/** The profile: picture, nickname, gender, birthday, contact details and preferences. */
export function profilePanel({ me, reload, flashFor }) {
  const form = h("form", {
    class: "form form-grid profile-form",
    "aria-label": t("profile"),
    onsubmit: async (e) => {
      e.preventDefault();
      const input = formValues(form);
      for (const name of CLEARABLE) input[name] ||= null;
      const payload = await mutate(form, UPDATE_PROFILE, { input });
      if (!payload) return;
      session.state.user = payload.user;
      renderAccountNav();
      reload({ panel: "profile", text: t("saved") });
    },
  },
  field(t("nickname"), input({ name: "nickname", value: me.nickname, autocomplete: "nickname", maxlength: 60, required: true })),
  field(t("gender"), select("gender", GENDERS.map((g) => [g, t(`gender.${g}`)]), me.gender)),
  field(t("birthday"), input({ name: "birthday", type: "date", value: me.birthday || "", max: new Date().toISOString().slice(0, 10), min: "1900-01-01" }),
    { optional: true }),
  field(t("contactEmail"), input({ name: "contactEmail", type: "email", value: me.contactEmail || "", autocomplete: "email", maxlength: 254 }),
    { optional: true, hint: t("contactEmailHint") }),
  field(t("contactPhone"), input({ name: "contactPhone", type: "tel", value: me.contactPhone || "", autocomplete: "tel", maxlength: 32 }),
    { optional: true, hint: t("phoneHint") }),
  field(t("preferredLanguage"), select("locale", [["", t("notSet")], ...LOCALES], me.locale)),
  field(t("currency"), select("currency", [["", t("notSet")], ...currencyOptions(me.currency)], me.currency)),
  formActions(submitButton(t("save"))));
  return panel("profile", t("profile"), avatarPicker(me), form, flashFor("profile"));
}

/** The profile picture: a new one is sent as soon as it is chosen, with its progress shown. */
function avatarPicker(me) {
  const name = me.nickname || me.email || me.phone || "";
  const picture = (alt = t("avatar")) => me.avatarUrl
    ? h("img", { class: "avatar", src: me.avatarUrl, alt, width: 64, height: 64 })
    : h("span", { class: "avatar", "aria-hidden": "true" }, [...name][0]?.toLocaleUpperCase(uiLocale) || "?");
  const shown = h("div", { class: "avatar-shown" }, picture());
  const progress = h("progress", { class: "upload-progress", max: 100, value: 0, hidden: true, "aria-label": t("uploading") });
  const file = h("input", {
    type: "file",
    name: "file",
    accept: AVATAR_TYPES,
    class: "input input-file",
    onchange: async () => {
      const chosen = file.files[0];
      if (!chosen) return;
      clearErrors(root);
      file.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      try {
        const data = await upload(UPLOAD_AVATAR, { input: { file: null } }, { "variables.input.file": chosen },
          (fraction) => { progress.value = Math.round(fraction * 100); });
        const payload = data.uploadAvatar;
        if (payload.errors.length) {
          showErrors(root, payload.errors);
          return;
        }
        me.avatarUrl = payload.user.avatarUrl;
        fill(shown, picture());
        for (const img of document.querySelectorAll(".member .avatar")) img.replaceWith(picture(""));
        root.append(noteText(t("avatarSaved")));
      } catch (err) {
        showErrors(root, [{ field: ["input", "file"], message: err.message }]);
      } finally {
        file.disabled = false;
        file.value = "";
        progress.hidden = true;
      }
    },
  });
  const root = h("div", { class: "avatar-picker" }, shown,
    field(t("changeAvatar"), file, { hint: t("avatarHint") }), progress);
  return root;
}

/** Change the password; the API ends every other sign-in and renews this one. */
export function passwordPanel({ me, reload, flashFor }) {
  const form = h("form", {
    class: "form form-grid",
    "aria-label": t("changePassword"),
    onsubmit: async (e) => {
      e.preventDefault();
      const { currentPassword, newPassword } = formValues(form);
      const input = { newPassword, ...(me.hasPassword ? { currentPassword } : {}) };
      const payload = await mutate(form, CHANGE_PASSWORD, { input });
      if (!payload) return;
      session.start(payload.session);
      reload({ panel: "password", text: t("passwordChanged") });
    },
  },
  me.hasPassword
    ? field(t("currentPassword"), input({ name: "currentPassword", type: "password", autocomplete: "current-password", required: true }))
    : null,
  field(t("newPassword"), input({ name: "newPassword", type: "password", autocomplete: "new-password", minlength: 10, required: true }),
    { hint: t("passwordHint") }),
  formActions(submitButton(me.hasPassword ? t("changePassword") : t("setPassword"))));
  return panel("password", me.hasPassword ? t("changePassword") : t("setPassword"), form, flashFor("password"));
}

/** A copy of everything the shop keeps about the member, and deleting the account. */
export function privacyPanel({ me }, { onDeleted }) {
  const exportBox = h("div", { class: "privacy-export" },
    h("p", { class: "muted" }, t("exportIntro")),
    h("div", { class: "form-actions" },
      h("button", {
        type: "button",
        class: "button button-secondary",
        onclick: async (e) => {
          const button = e.currentTarget;
          clearErrors(exportBox);
          button.disabled = true;
          try {
            const data = await gql(EXPORT_MY_DATA, {}, uiLocale);
            saveJson(data.exportMyData, `tradewind-my-data-${new Date().toISOString().slice(0, 10)}.json`);
            exportBox.append(noteText(t("exportReady")));
          } catch (err) {
            showErrors(exportBox, [{ message: err.message }]);
          } finally {
            button.disabled = false;
          }
        },
      }, t("downloadMyData"))));

  const start = h("button", {
    type: "button",
    class: "button button-danger",
    onclick: () => {
      start.hidden = true;
      start.after(deleteForm);
      (deleteForm.elements.password || deleteForm.elements.confirm).focus();
    },
  }, t("deleteAccount"));
  const deleteForm = h("form", {
    class: "form form-grid delete-form",
    "aria-label": t("deleteAccount"),
    onsubmit: async (e) => {
      e.preventDefault();
      const { password = null, confirm } = formValues(deleteForm);
      const payload = await mutate(deleteForm, DELETE_MY_ACCOUNT, { input: { password, confirm } });
      if (!payload) return;
      session.end(); // the API has ended every sign-in; this one is forgotten here too
      onDeleted();
    },
  },
  h("div", { class: "form-alert field-wide" }, h("p", {}, t("deleteWarning"))),
  me.hasPassword
    ? field(t("password"), input({ name: "password", type: "password", autocomplete: "current-password", required: true }))
    : null,
  field(t("deleteConfirm", { word: DELETE_WORD }), input({ name: "confirm", autocomplete: "off", spellcheck: "false", required: true })),
  formActions(
    h("button", { type: "submit", class: "button button-danger" }, t("deleteForever")),
    h("button", {
      type: "button",
      class: "button button-secondary",
      onclick: () => {
        deleteForm.reset();
        clearErrors(deleteForm);
        deleteForm.remove();
        start.hidden = false;
        start.focus();
      },
    }, t("cancel"))));

  return panel("privacy", t("privacy"),
    h("h3", { class: "form-title" }, t("yourData")), exportBox,
    h("h3", { class: "form-title" }, t("accountDeletion")), h("p", { class: "muted" }, t("deleteIntro")), start);
}

/** The page shown once the account is gone. */
export function deletedPage(homeHref) {
  return authCard(t("accountDeleted"),
    h("p", {}, t("accountDeletedText")),
    h("p", {}, h("a", { class: "button", href: homeHref }, t("continueShopping"))));
}

/** Offers `value` as a JSON file download. */
function saveJson(value, filename) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
