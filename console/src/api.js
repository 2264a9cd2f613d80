// The native API, called with the session cookie; every write carries the CSRF token.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";

export const session = {
  csrf: meta("skyorder-csrf"),
  email: meta("skyorder-user"),
  role: meta("skyorder-role"),
  userId: meta("skyorder-user-id"),
  sandbox: meta("skyorder-sandbox") === "true",
};

/** An error answered by the server, carrying its problem+json detail. */
export class Problem extends Error {
  constructor(status, body) {
    const detail = body?.detail || body?.title || `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.body = body;
  }
}

export async function api(method, path, body, { raw = false } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    const problem = await response.json().catch(() => ({}));
    throw new Problem(401, problem);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ detail: response.statusText }));
    throw new Problem(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body ?? {});
