console.log("pnpm demo: not yet — the demo lands with the docs/examples issue.");
