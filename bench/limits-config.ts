/**
 * BENCH_LIMITS=compare: the same proxy without limits and with five limits that apply to every
 * request of the virtual key's lanes (two on the proxy, three on the key: requests, tokens and
 * cost, over minute to lifetime windows), all far above what the bench can use so nothing is
 * refused. The difference is what enforcing limits costs on the hot path.
 */
export const FIVE_LIMITS: readonly string[] = [
  "limits:",
  "  - { scope: proxy, subject: default, measure: requests, window: minute, max: 1000000000 }",
  "  - { scope: proxy, subject: default, measure: tokens, window: day, max: 1000000000000 }",
  "  - { scope: virtualKey, subject: bench, measure: costUsd, window: month, max: 1000000000 }",
  "  - { scope: virtualKey, subject: bench, measure: requests, window: hour, max: 1000000000 }",
  "  - { scope: virtualKey, subject: bench, measure: tokens, window: lifetime, max: 1000000000000000 }",
];
