import type { ProviderDefinition } from "../../adapters/provider.ts";
import { PROVIDERS } from "../../adapters/registry.ts";

/** What configuration needs to know of a provider: its id and the env vars that configure it. */
export type ConfigProvider = Pick<ProviderDefinition, "id" | "envPrefix" | "requiresKey" | "credentialFromEnv">;

/** The providers a config may name: every provider the router knows. */
export const CONFIG_PROVIDERS: readonly ConfigProvider[] = PROVIDERS;
