// File uploads to the GraphQL endpoint as a GraphQL multipart request
// (https://github.com/jaydenseric/graphql-multipart-request-spec), sent with XMLHttpRequest
// because fetch reports no upload progress. Shared by every app that sends pictures.

import { GraphQLFailure } from "./graphql.js";

/**
 * Sends `query` with `files` ({"variables.input.file": File, ...}: where each file goes in
 * `variables`, which may hold null there). `onProgress(fraction)` hears how much has been sent,
 * from 0 to 1. `auth`, when given, is the session the upload is signed with (see ./session.js),
 * refreshed first when its access token has run out. Resolves to the answer's `data`, or
 * rejects with a GraphQLFailure.
 */
export async function uploadFiles(endpoint, query, variables, files, { headers = {}, auth = null, onProgress = () => {} } = {}) {
  if (auth?.signedIn() && !auth.fresh()) await auth.refresh();
  if (auth?.token()) headers = { ...headers, Authorization: `Bearer ${auth.token()}` };
  const paths = Object.keys(files);
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables }));
  form.append("map", JSON.stringify(Object.fromEntries(paths.map((path, i) => [String(i), [path]]))));
  paths.forEach((path, i) => form.append(String(i), files[path], files[path].name || `file${i}`));

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new GraphQLFailure("Network error: the upload did not reach the shop."));
    xhr.onabort = () => reject(new GraphQLFailure("The upload was cancelled."));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (body && Array.isArray(body.errors) && body.errors.length) {
        return reject(new GraphQLFailure(body.errors.map((e) => e.message).join("\n"), body.errors));
      }
      if (xhr.status < 200 || xhr.status >= 300 || !body?.data) {
        const said = body?.detail || body?.message || xhr.statusText;
        return reject(new GraphQLFailure(`HTTP ${xhr.status} ${said || ""}`.trim()));
      }
      onProgress(1);
      resolve(body.data);
    };
    xhr.send(form);
  });
}
