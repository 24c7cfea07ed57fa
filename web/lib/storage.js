// Browser storage read safely: a blocked or full storage, or a value that is not the JSON
// written there, reads as nothing instead of throwing.

/** The string kept under `key` in `storage` (localStorage by default); null when none or unreadable. */
export function readText(key, storage = localStorage) {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

/** The object kept as JSON under `key`; `{}` when none or unreadable. */
export function readObject(key, storage = localStorage) {
  try {
    return JSON.parse(storage.getItem(key)) || {};
  } catch {
    return {};
  }
}

export const writeObject = (key, value, storage = localStorage) => storage.setItem(key, JSON.stringify(value));
