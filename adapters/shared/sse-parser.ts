/**
 * Incremental Server-Sent Events parser (WHATWG rules: `event:`/`data:`/`id:` fields, multi-line
 * data joined with "\n", comment lines ignored, CRLF/CR/LF line ends, a blank line dispatches).
 * Bytes may be split anywhere, also inside a multi-byte character. Each event keeps its raw text
 * so an unchanged event can be forwarded byte for byte.
 */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
  /** The event's text as received, its terminating blank line included. */
  raw: string;
}

export class SseParser {
  readonly #decoder = new TextDecoder("utf-8");
  #pending = "";
  #raw = "";
  #event: string | undefined;
  #id: string | undefined;
  #data: string | undefined;
  /** The previous chunk ended in "\r": a "\n" starting the next one belongs to that line end. */
  #skipLf = false;

  push(bytes: Uint8Array | string): SseEvent[] {
    const text = typeof bytes === "string" ? bytes : this.#decoder.decode(bytes, { stream: true });
    return this.#lines(text, false);
  }

  /** The stream ended: an unterminated last event still counts (some servers omit the blank line). */
  end(): SseEvent[] {
    const out = this.#lines(this.#decoder.decode(), true);
    if (this.#data !== undefined) out.push(this.#dispatch());
    return out;
  }

  #lines(text: string, final: boolean): SseEvent[] {
    const out: SseEvent[] = [];
    let buf = this.#pending + text;
    let pos = 0;
    if (this.#skipLf && buf.charCodeAt(0) === 10) {
      this.#raw += "\n";
      pos = 1;
    }
    this.#skipLf = false;
    const len = buf.length;
    while (pos < len) {
      let end = pos;
      while (end < len) {
        const c = buf.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
      if (end === len && !final) break; // incomplete line
      let next = end + 1;
      if (end < len && buf.charCodeAt(end) === 13) {
        if (end + 1 < len) {
          if (buf.charCodeAt(end + 1) === 10) next++;
        } else if (!final) {
          this.#skipLf = true;
        }
      }
      this.#raw += buf.slice(pos, Math.min(next, len));
      const line = buf.slice(pos, end);
      pos = next;
      if (line === "") {
        if (this.#data !== undefined) out.push(this.#dispatch());
        else this.#reset();
        continue;
      }
      this.#field(line);
    }
    this.#pending = pos < len ? buf.slice(pos) : "";
    return out;
  }

  #field(line: string): void {
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
    else if (field === "event") this.#event = value;
    else if (field === "id") this.#id = value;
  }

  #dispatch(): SseEvent {
    const ev: SseEvent = { data: this.#data ?? "", raw: this.#raw };
    if (this.#event !== undefined) ev.event = this.#event;
    if (this.#id !== undefined) ev.id = this.#id;
    this.#reset();
    return ev;
  }

  #reset(): void {
    this.#raw = "";
    this.#event = undefined;
    this.#id = undefined;
    this.#data = undefined;
  }
}

/** One SSE frame. */
export function sseFrame(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
