/**
 * The fetch Octokit uses, with two guarantees the stock one lacks:
 * - a deadline per attempt (AbortSignal.timeout, made afresh for every call, so each retry gets the full
 *   time): a server that never answers, or whose body stops half-way, fails the attempt instead of
 *   hanging the scan. The whole body is read under the deadline, not only the headers.
 * - a 2xx body that is not the JSON the REST API always sends (a truncated body, a proxy's HTML page) fails
 *   the attempt; @octokit/request would hand the raw text on as if it were data.
 * Both errors reach @octokit/request as a failed fetch, which it wraps as a RequestError with status 500,
 * so @octokit/plugin-retry retries them like any 5xx. The scan's own abort (the caller's signal) still
 * surfaces as an AbortError, which Octokit does not retry.
 */

/** The attempt got no complete response in time. */
export class ResponseTimeoutError extends Error {
  override name = 'ResponseTimeoutError';
}

/** A 2xx response whose body is not valid JSON. */
export class MalformedBodyError extends Error {
  override name = 'MalformedBodyError';
}

/** Our transport errors carry a secret-free message naming the endpoint; callers print it as is. */
export function isTransportError(error: unknown): error is ResponseTimeoutError | MalformedBodyError {
  return error instanceof ResponseTimeoutError || error instanceof MalformedBodyError;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** `GET /repos/acme/api/keys`: method and path, without the query (it holds nothing the reader needs). */
function endpointLabel(input: string | URL | Request, method: string | undefined): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0]!;
  }
  return `${(method ?? 'GET').toUpperCase()} ${path}`;
}

function isJsonType(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

export function timedFetch(timeoutMs: number, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init = {}) => {
    const label = endpointLabel(input as string | URL | Request, init.method);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await base(input, { ...init, signal });
      body = await response.arrayBuffer();
    } catch (error) {
      if (deadline.aborted && !init.signal?.aborted) throw new ResponseTimeoutError(`${label}: no complete response within ${timeoutMs} ms`);
      throw error;
    }
    if (response.status >= 200 && response.status < 300 && !NULL_BODY_STATUSES.has(response.status) && body.byteLength > 0) {
      const type = response.headers.get('content-type');
      if (!isJsonType(type)) {
        throw new MalformedBodyError(
          `${label}: malformed response: expected JSON, got ${type?.split(';')[0] || 'no content type'} (HTTP ${response.status}, ${body.byteLength} bytes)`,
        );
      }
      try {
        JSON.parse(new TextDecoder().decode(body));
      } catch {
        // Never the parser's message: recent V8 quotes part of the body, which may hold anything.
        throw new MalformedBodyError(`${label}: malformed response: truncated or invalid JSON (HTTP ${response.status}, ${body.byteLength} bytes)`);
      }
    }
    const rebuilt = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // Octokit reports response.url (the final URL after redirects); a constructed Response has none.
    Object.defineProperty(rebuilt, 'url', { value: response.url });
    return rebuilt;
  };
}
