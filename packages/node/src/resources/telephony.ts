import type { HttpTransport } from "../internal/http.js";
import { Bridges } from "./bridges.js";
import { PhoneNumbers } from "./numbers.js";
import { ProviderConfigurations } from "./providerConfigurations.js";
import { Providers } from "./providers.js";

/** `client.telephony`: numbers, bridges, providers and provider configurations. */
export class Telephony {
  /** Phone numbers of the organization. */
  readonly numbers: PhoneNumbers;
  /** Bridges between provider numbers and agents. */
  readonly bridges: Bridges;
  /** Supported voice-infrastructure providers. */
  readonly providers: Providers;
  /** Credentials of provider accounts. */
  readonly providerConfigurations: ProviderConfigurations;

  /** @internal */
  constructor(http: HttpTransport) {
    this.numbers = new PhoneNumbers(http);
    this.bridges = new Bridges(http);
    this.providers = new Providers(http);
    this.providerConfigurations = new ProviderConfigurations(http);
  }
}
