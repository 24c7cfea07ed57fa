// A product's images: upload with a progress bar (lib/upload.js), the order shoppers see
// them in (up and down), alt text and deleting.

import { h } from "../../../lib/dom.js";
import { showErrors, clearErrors } from "../../../lib/forms.js";
import { t } from "../../../lib/i18n.js";
import { gql, mutate, upload } from "../../api.js";
import { button, confirmDialog, panel, progressBar, toast } from "../../ui/page.js";

const UPLOAD = `mutation CatalogUploadImage($input: UploadProductImageInput!) {
  uploadProductImage(input: $input) { image { id url } errors { field code message } }
}`;
const UPDATE_IMAGE = `mutation CatalogImageAlt($input: UpdateProductImageInput!) {
  updateProductImage(input: $input) { image { id alt } errors { field code message } }
}`;
const REORDER = `mutation CatalogReorderImages($input: ReorderProductImagesInput!) {
  reorderProductImages(input: $input) { images { id position } errors { field code message } }
}`;
const IMAGES_QUERY = `query CatalogImages($id: ID!) { product(id: $id) { id images { id url alt width height position } } }`;
const DELETE_IMAGE = `mutation CatalogDeleteImage($input: DeleteInput!) {
  deleteProductImage(input: $input) { deletedId errors { field code message } }
}`;

/** Uploads one image, calling `progress(share)` as it goes up; resolves to the payload. */
export async function uploadImage(productId, file, alt, progress) {
  const data = await upload(UPLOAD, { input: { productId, file: null, alt } }, { "variables.input.file": file }, progress);
  return data.uploadProductImage;
}

export function imagesPanel(p) {
  const root = h("div", { class: "images" });
  const listSlot = h("div");
  let images = p.images;

  async function refresh() {
    const data = await gql(IMAGES_QUERY, { id: p.id });
    images = data.product?.images || [];
    drawList();
  }

  async function move(index, by) {
    const order = images.map((i) => i.id);
    [order[index], order[index + by]] = [order[index + by], order[index]];
    if (await mutate(listSlot, REORDER, { input: { productId: p.id, imageIds: order } })) await refresh();
  }

  function drawList() {
    const items = images.map((img, index) => {
      const alt = h("input", { class: "input", name: "alt", value: img.alt, maxlength: 500, "aria-label": t("catalog.altFor", { n: index + 1 }) });
      const item = h("li", { class: "image-item", dataset: { id: img.id } },
        h("img", { src: img.url, alt: img.alt, width: img.width, height: img.height, loading: "lazy" }),
        h("div", { class: "image-edit" },
          h("div", { class: "field" }, alt),
          h("div", { class: "actions" },
            button(t("catalog.saveAlt"), async () => {
              if (await mutate(item, UPDATE_IMAGE, { input: { id: img.id, alt: alt.value.trim() } })) toast(t("saved"));
            }, { kind: "quiet" }),
            button("↑", () => move(index, -1), { kind: "quiet", attrs: { disabled: index === 0, "aria-label": t("catalog.moveUp"), title: t("catalog.moveUp") } }),
            button("↓", () => move(index, 1), { kind: "quiet", attrs: { disabled: index === images.length - 1, "aria-label": t("catalog.moveDown"), title: t("catalog.moveDown") } }),
            button(t("delete"), async () => {
              if (!(await confirmDialog({ title: t("catalog.deleteImageTitle"), confirmLabel: t("delete"), danger: true }))) return;
              if (await mutate(item, DELETE_IMAGE, { input: { id: img.id } })) await refresh();
            }, { kind: "quiet" }))));
      return item;
    });
    listSlot.replaceChildren(items.length ? h("ol", { class: "image-list" }, items) : h("p", { class: "empty" }, t("catalog.noImages")));
  }

  const fileInput = h("input", { type: "file", name: "file", accept: "image/jpeg,image/png,image/webp,image/gif", multiple: true, class: "input" });
  const altInput = h("input", { class: "input", name: "newAlt", maxlength: 500 });
  const bars = h("div", { class: "uploads" });
  const uploader = h("form", { class: "form upload-form" },
    h("div", { class: "field field-wide" }, h("label", { for: "image-file" }, t("catalog.chooseImages")), Object.assign(fileInput, { id: "image-file" })),
    h("div", { class: "field field-wide" }, h("label", { for: "image-alt" }, t("catalog.newAlt")), Object.assign(altInput, { id: "image-alt" })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, t("catalog.upload"))),
    bars);
  uploader.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(uploader);
    const files = [...fileInput.files];
    if (!files.length) return showErrors(uploader, [{ field: ["file"], message: t("catalog.chooseFirst") }]);
    const submit = uploader.querySelector("button[type=submit]");
    submit.disabled = true;
    let done = 0;
    for (const file of files) {
      const bar = progressBar(t("catalog.uploading", { name: file.name }));
      const line = h("div", { class: "upload-line" }, h("span", { class: "upload-name" }, file.name), bar);
      bars.append(line);
      try {
        const payload = await uploadImage(p.id, file, altInput.value.trim(), (share) => bar.set(share));
        if (payload.errors.length) {
          line.append(h("p", { class: "field-error" }, payload.errors.map((er) => er.message).join(" ")));
          continue;
        }
        line.dataset.done = "";
        line.append(h("span", { class: "upload-done" }, t("catalog.uploaded")));
        done += 1;
      } catch (err) {
        line.append(h("p", { class: "field-error" }, err.message));
      }
    }
    submit.disabled = false;
    if (done) {
      toast(t("catalog.imagesUploaded", { n: done }));
      fileInput.value = "";
      await refresh();
    }
  });

  drawList();
  root.append(listSlot, uploader);
  return panel(t("catalog.images"), root, { attrs: { id: "images" } });
}
