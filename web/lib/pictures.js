// Pictures chosen to go with a message, before it is sent: the storefront chat and the
// console's reply box pick them the same way, each with its own words and classes.

import { fill, h } from "./dom.js";
import { t } from "./i18n.js";

/** What the API takes with one message. */
export const MAX_PICTURES = 5;
export const PICTURE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];

/**
 * An attach button (images only, up to MAX_PICTURES) and a preview of each picture, each
 * removable. `prefix` names the classes (`<prefix>-file`, `-attach`, `-previews`, `-preview`,
 * `-preview-remove`) and the messages (`<prefix>.attach`, `.picture`, `.removePicture`,
 * `.tooManyPictures`, `.onlyPictures`); `noteClass` styles the line that says why a file was
 * left out. Returns `parts` to put in the form, `files()`, `clear()` and `set(files)`.
 */
export function picturePicker({ prefix, noteClass }) {
  let files = [];
  const chooser = h("input", { type: "file", class: `${prefix}-file`, name: "attachments", accept: PICTURE_TYPES.join(","), multiple: true, tabindex: "-1", "aria-hidden": "true" });
  const button = h("button", { type: "button", class: `button button-secondary ${prefix}-attach`, onclick: () => chooser.click() }, t(`${prefix}.attach`));
  const previews = h("ul", { class: `${prefix}-previews`, hidden: true, "aria-label": t(`${prefix}.attach`) });
  const note = h("p", { class: noteClass, role: "status", hidden: true });
  const say = (text) => {
    note.textContent = text;
    note.hidden = !text;
  };
  const draw = () => {
    for (const img of previews.querySelectorAll("img")) URL.revokeObjectURL(img.src);
    fill(previews, files.map((file, i) => h("li", { class: `${prefix}-preview` },
      h("img", { src: URL.createObjectURL(file), alt: t(`${prefix}.picture`, { name: file.name }) }),
      h("button", { type: "button", class: `${prefix}-preview-remove`, "aria-label": t(`${prefix}.removePicture`, { name: file.name }), onclick: () => {
        files = files.filter((_, j) => j !== i);
        say("");
        draw();
      } }, "×"))));
    previews.hidden = !files.length;
  };
  chooser.addEventListener("change", () => {
    const chosen = [...chooser.files];
    chooser.value = ""; // the same picture may be chosen again after removing it
    const pictures = chosen.filter((f) => PICTURE_TYPES.includes(f.type));
    const room = MAX_PICTURES - files.length;
    say(pictures.length > room ? t(`${prefix}.tooManyPictures`, { n: MAX_PICTURES })
      : pictures.length < chosen.length ? t(`${prefix}.onlyPictures`) : "");
    files = [...files, ...pictures.slice(0, Math.max(room, 0))];
    draw();
  });
  const set = (list) => {
    files = [...list];
    say("");
    draw();
  };
  return { parts: [previews, note, chooser, button], files: () => [...files], clear: () => set([]), set };
}
