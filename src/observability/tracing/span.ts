/** A floating-point attribute (a plain number is exported as an integer). */
export interface DoubleValue {
  double: number;
}

/** Attribute values as OTLP carries them. */
export type AttributeValue = string | number | boolean | string[] | DoubleValue;
export type Attributes = Record<string, AttributeValue>;

/** OTLP span kinds (the numbering of the protocol). */
export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;

/** OTLP status codes. */
export const STATUS_UNSET = 0;
export const STATUS_ERROR = 2;

export interface SpanEvent {
  name: string;
  /** Unix epoch, milliseconds (fractional). */
  timeMs: number;
  attributes: Attributes;
}

/** A span that has ended, ready to export. Times are Unix epoch milliseconds with sub-ms fractions. */
export interface FinishedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId?: string;
  /** W3C `tracestate` continued from the caller. */
  traceState?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  events: SpanEvent[];
  status: { code: number; message?: string };
}

/** Where finished spans go: OTLP over HTTP in production, memory in tests. */
export interface SpanExporter {
  export(spans: readonly FinishedSpan[]): Promise<void>;
  shutdown?(): Promise<void>;
}
