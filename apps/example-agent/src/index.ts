export { createExampleAgent, type ExampleAgentOptions } from "./agent.js";
export { type FakeLlmOptions, fakeAnswer, fakeLlm } from "./fakeLlm.js";
