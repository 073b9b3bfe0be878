import { AgentRunner, type AgentRunnerBaseOptions } from "@unpod/agent";
import { fakeLlm } from "./fakeLlm.js";

/** Options of {@link createExampleAgent}: the runner's, without the handler. */
export type ExampleAgentOptions = Partial<AgentRunnerBaseOptions> & {
  /** Time per token of the fake LLM, in ms. @defaultValue 25 */
  tokenMs?: number;
};

/**
 * The demo's agent: each user turn is answered by the fake LLM, streamed token by token;
 * the turn's signal goes to the LLM, so an interruption stops it mid-sentence. `/bye` hangs
 * up after the goodbye.
 *
 * @param options - Runner options (credentials default to the environment) and the pace.
 * @returns The runner (call `run()`).
 */
export function createExampleAgent(options: ExampleAgentOptions = {}): AgentRunner {
  const { tokenMs, ...runner } = options;
  return new AgentRunner({
    agentId: "dev-agent",
    ...runner,
    onTurn(turn, call) {
      if (turn.text.trim().toLowerCase() === "/bye") call.end("completed");
      return fakeLlm(turn.text, {
        signal: turn.signal,
        history: call.history,
        ...(tokenMs === undefined ? {} : { tokenMs }),
      });
    },
  });
}
