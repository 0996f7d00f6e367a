/** Inline media as `data:` URLs: the OpenAI formats carry images and files that way; providers want bytes. */

export interface DataUrl {
  mediaType: string;
  /** Base64. */
  data: string;
}

/** Any data URL as base64 and its media type (percent-encoded text is converted); undefined when not one. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith("data:")) return undefined;
  const comma = url.indexOf(",");
  if (comma < 0) return undefined;
  const params = url.slice(5, comma).split(";");
  const mediaType = params[0] || "text/plain";
  const payload = url.slice(comma + 1);
  if (params.includes("base64")) return { mediaType, data: payload };
  try {
    return { mediaType, data: Buffer.from(decodeURIComponent(payload), "utf8").toString("base64") };
  } catch {
    return undefined;
  }
}

/**
 * Only the plain `data:<type>;base64,…` form, which `dataUrl` rebuilds exactly: decoders that must
 * re-encode a URL byte for byte leave any other form as a URL.
 */
export function parseBase64DataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith("data:")) return undefined;
  const comma = url.indexOf(",");
  if (comma < 0) return undefined;
  const head = url.slice(5, comma);
  if (!head.endsWith(";base64")) return undefined;
  const mediaType = head.slice(0, -7);
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(mediaType)) return undefined;
  return { mediaType, data: url.slice(comma + 1) };
}

export function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}
