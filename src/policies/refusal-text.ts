import type { ToolCallPart } from "../canonical/content.ts";
import type { CallVerdict } from "./judge-tool-call.ts";
import type { TrustedDataPolicy } from "./types.ts";

/** Arguments longer than this are cut in the refusal: the model wrote them, the client need not get them twice. */
const MAX_ARGUMENTS = 1000;

function shown(text: string): string {
  return text.length <= MAX_ARGUMENTS ? text : `${text.slice(0, MAX_ARGUMENTS)}… (${text.length - MAX_ARGUMENTS} more characters)`;
}

/** The assistant text that replaces a blocked call: the tool, its arguments, the reason and the policy. */
export function refusalText(call: ToolCallPart, verdict: CallVerdict): string {
  const tool = call.namespace ? `${call.namespace}__${call.name}` : call.name;
  const args = call.arguments === "" ? "{}" : call.arguments;
  const by = verdict.policy ? ` (policy ${verdict.policy.id})` : "";
  return `Portcullis blocked a call of the tool "${tool}" with the arguments ${shown(args)}: ${verdict.reason}${by}.`;
}

/** The text that replaces a tool result a `block_always` trusted-data policy withholds. */
export function withheldResultNotice(tool: string, policy: TrustedDataPolicy): string {
  return `[Portcullis withheld the result of the tool "${tool}": ${policy.reason ?? "its results never reach the model"} (policy ${policy.id}).]`;
}
