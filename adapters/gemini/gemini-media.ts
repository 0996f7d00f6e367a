/** Media helpers for Gemini parts: `data:` URLs, MIME types guessed from a URL, audio formats. */

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/md",
  html: "text/html",
  csv: "text/csv",
  json: "application/json",
  mp3: "audio/mp3",
  wav: "audio/wav",
  flac: "audio/flac",
  ogg: "audio/ogg",
  aac: "audio/aac",
  mp4: "video/mp4",
  mov: "video/mov",
  webm: "video/webm",
};

/**
 * Gemini wants a MIME type with every fileData URI (Vertex requires it). Without downloading the
 * file, the extension is the best guess; YouTube links are videos.
 */
export function guessMimeType(url: string): string | undefined {
  if (/^https?:\/\/(www\.)?(youtube\.com|youtu\.be)\//.test(url)) return "video/*";
  const path = url.split(/[?#]/)[0];
  const dot = path.lastIndexOf(".");
  if (dot === -1 || dot < path.lastIndexOf("/")) return undefined;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/** `audio/wav` -> `wav`; the canonical AudioPart names formats by subtype. */
export function audioFormat(mimeType: string): string {
  return mimeType.slice(mimeType.indexOf("/") + 1);
}
