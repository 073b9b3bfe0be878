// Reading the fenced code blocks of a guide: shared by check-guides.mjs (type-check, run)
// and @unpod/guide-e2e (getting-started followed end to end in a fresh project).

/**
 * @typedef {object} Block
 * @property {string} lang   The fence's language, lower case (`ts`, `sh`, `html`, …; `""` if none).
 * @property {number} line   1-based line of the block's first content line in the guide.
 * @property {string[]} lines The content lines, fence indentation removed.
 */

/**
 * The fenced code blocks of a markdown text, in order.
 *
 * @param {string} text
 * @returns {Block[]}
 * @throws {Error} on an unclosed fence.
 */
export function blocks(text) {
  const found = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*([\w-]*)/);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
      j++;
    }
    if (j >= lines.length) throw new Error(`unclosed code fence at line ${i + 1}`);
    found.push({ lang: lang.toLowerCase(), line: i + 2, lines: body });
    i = j;
  }
  return found;
}

// A first line that is only a relative file path in a comment: `// src/App.tsx`,
// `<!-- index.html -->`. The block is that file's whole content.
const FILE_NAME = /^(?:\/\/\s*([\w-][\w./-]*\.\w+)|<!--\s*([\w-][\w./-]*\.\w+)\s*-->)\s*$/;

/**
 * The file a block is, when its first line names one (`// server.ts`, `<!-- index.html -->`).
 *
 * @param {Block} block
 * @returns {string | undefined} The relative path, never absolute and never with `..`.
 */
export function fileOf(block) {
  const match = block.lines[0]?.match(FILE_NAME);
  const path = match?.[1] ?? match?.[2];
  if (path === undefined || path.split("/").includes("..")) return undefined;
  return path;
}
