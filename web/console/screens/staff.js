// The staff screen (admins only): the shop's people with their role and permissions, inviting
// someone by email, changing a member's access (`#/staff/<id>`), and disabling an account.

import { h } from "../../lib/dom.js";
import { field, formActions, formValues, input, select, submitButton } from "../../lib/forms.js";
import { navigate } from "../../lib/router.js";
import { t } from "../../lib/i18n.js";
import { gql, mutate, viewer } from "../api.js";
import { href } from "../routes.js";
import { dateTime } from "../ui/format.js";
import { badge, button, confirmDialog, pageHead, panel, state, toast } from "../ui/page.js";
import { check, table } from "./marketing/common.js";
import "./staff/messages.js";

const PERMISSIONS = ["CATALOG", "INVENTORY", "ORDERS", "CUSTOMERS", "SUPPORT", "REPORTS", "SETTINGS"];

const LIST = `query ConsoleStaff { staffMembers { id email phone nickname role permissions isActive lastSignInAt } }`;
const INVITE = `mutation ConsoleInviteStaff($input: InviteStaffInput!) {
  inviteStaff(input: $input) { user { id } errors { field code message } }
}`;
const ACCESS = `mutation ConsoleSetStaffAccess($input: SetStaffAccessInput!) {
  setStaffAccess(input: $input) { user { id role permissions } errors { field code message } }
}`;
const DISABLE = `mutation ConsoleToggleStaff($id: ID!) {
  disableAccount(userId: $id) { user { id isActive } errors { field code message } }
}`;
const ENABLE = `mutation ConsoleToggleStaff($id: ID!) {
  enableAccount(userId: $id) { user { id isActive } errors { field code message } }
}`;

const nameOf = (m) => m.nickname || m.email || m.phone || "—";
const roleBadge = (m) => badge(m.role, { label: t(`staff.role.${m.role}`), tone: m.role === "ADMIN" ? "info" : "neutral" });
const permissionWords = (m) => (m.role === "ADMIN" ? t("staff.everything") : m.permissions.map((p) => t(`permission.${p}`)).join(", ") || t("none"));

export async function show(view, ctx) {
  let members;
  try {
    members = (await gql(LIST)).staffMembers;
  } catch (err) {
    if (ctx.current()) view.replaceChildren(state(t("screen.failed", { message: err.message }), { error: true }));
    return;
  }
  if (!ctx.current()) return;
  const redraw = () => show(view, ctx);
  const id = ctx.segments[0];
  if (id) {
    const member = members.find((m) => m.id === id);
    const back = [href("staff"), t("nav.staff")];
    if (!member) return view.replaceChildren(pageHead(t("staff.notFound"), { crumb: back }));
    return view.replaceChildren(
      pageHead(nameOf(member), { crumb: back, actions: [roleBadge(member), toggleButton(member, redraw)] }),
      panel(t("staff.access"), accessForm(member, redraw)));
  }
  const rows = table([
    { label: t("staff.member"), cell: (m) => h("a", { href: href("staff", [m.id]) }, nameOf(m)) },
    { label: t("staff.email"), cell: (m) => m.email || m.phone || "—" },
    { label: t("staff.role"), cell: roleBadge },
    { label: t("staff.permissions"), cell: permissionWords },
    { label: t("staff.lastSignIn"), cell: (m) => dateTime(m.lastSignInAt) },
    { label: t("staff.account"), cell: (m) => (m.isActive ? badge("ACTIVE", { label: t("staff.active") }) : badge("DISABLED")) },
  ], members, { "aria-label": t("nav.staff") });
  view.replaceChildren(pageHead(t("nav.staff")), panel(t("staff.members"), rows), panel(t("staff.invite"), inviteForm(redraw)));
}

/** Role and permission controls; the permissions only matter for staff (admins hold all). */
function accessControls(role, held) {
  const roleSelect = select("role", ["STAFF", "ADMIN"].map((r) => [r, t(`staff.role.${r}`)]), role);
  const boxes = h("fieldset", { class: "field field-wide permission-choices" },
    h("legend", {}, t("staff.permissions")),
    PERMISSIONS.map((p) => check(t(`permission.${p}`), `permission-${p}`, held.includes(p))));
  const applies = () => {
    boxes.hidden = roleSelect.value === "ADMIN";
  };
  roleSelect.addEventListener("change", applies);
  applies();
  return [field(t("staff.role"), roleSelect), boxes];
}

const chosen = (v) => (v.role === "ADMIN" ? [] : PERMISSIONS.filter((p) => v[`permission-${p}`]));

function inviteForm(done) {
  const form = h("form", { class: "form", dataset: { edit: "" }, "aria-label": t("staff.invite") },
    field(t("staff.email"), input({ name: "email", type: "email", required: true, maxlength: 254, autocomplete: "off" }), { hint: t("staff.emailHint") }),
    accessControls("STAFF", []),
    formActions(submitButton(t("staff.sendInvite"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const payload = await mutate(form, INVITE, { input: { email: v.email, role: v.role, permissions: chosen(v) } });
    if (payload) {
      toast(t("staff.invited", { email: v.email }));
      done();
    }
  });
  return form;
}

function accessForm(member, done) {
  const form = h("form", { class: "form", dataset: { edit: "" }, "aria-label": t("staff.access") },
    accessControls(member.role, member.permissions),
    formActions(submitButton(t("save")),
      button(t("staff.removeAccess"), async () => {
        const ok = await confirmDialog({ title: t("staff.removeAccess.title"), text: t("staff.removeAccess.text"), confirmLabel: t("staff.removeAccess"), danger: true });
        if (ok && (await mutate(form, ACCESS, { input: { userId: member.id, role: "CUSTOMER", permissions: [] } }))) {
          toast(t("staff.accessRemoved"));
          navigate(href("staff"));
        }
      }, { kind: "secondary" })));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (await mutate(form, ACCESS, { input: { userId: member.id, role: v.role, permissions: chosen(v) } })) {
      toast(t("saved"));
      done();
    }
  });
  return form;
}

function toggleButton(member, done) {
  if (member.id === viewer.user?.id) return null; // disabling oneself would lock the member out mid-task
  const disabling = member.isActive;
  return button(disabling ? t("staff.disable") : t("staff.enable"), async () => {
    const ok = await confirmDialog({
      title: disabling ? t("staff.disable.title") : t("staff.enable.title"),
      text: disabling ? t("staff.disable.text") : "",
      confirmLabel: disabling ? t("staff.disable") : t("staff.enable"),
      danger: disabling,
    });
    if (!ok) return;
    if (await mutate(document.querySelector(".page-head"), disabling ? DISABLE : ENABLE, { id: member.id })) {
      toast(disabling ? t("staff.disabled") : t("staff.enabled"));
      done();
    }
  }, { kind: disabling ? "danger" : "" });
}
