#!/usr/bin/env node
// The `unpod` CLI (work in progress: the token commands land in the next commit).
process.stderr.write("unpod: the CLI is not implemented yet\n");
process.exitCode = 1;
