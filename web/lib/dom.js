// Building the DOM: elements from tag, attributes and children. Data goes in through
// textContent and attributes, never through innerHTML, so nothing from the API is parsed as HTML.

/** Creates an element. Children are nodes or strings (inserted as text, never as HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "text") el.textContent = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nested arrays flattened); null, undefined, false and "" are skipped. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children; null, false and "" children are skipped. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (id) => document.getElementById(id);

let idSeq = 0;
/** A fresh element id: `prefix` and a number never given before on this page. */
export const newId = (prefix = "f") => `${prefix}${++idSeq}`;

/** Paragraphs from text with blank lines between them. */
export function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => h("p", {}, p));
}

/** Marks the options (`selector`) holding the checked input as selected, the others not. */
export function markChecked(root, selector, name) {
  const checked = root.querySelector(`[name=${name}]:checked`);
  for (const el of root.querySelectorAll(selector)) el.classList.toggle("is-selected", el.contains(checked));
}
