// README code blocks as test modules. Plain JS: the vite plugin that serves them is loaded by vitest's config.
//
// Conventions (tooling/config/README.md says the same for authors):
// - Blocks fenced ```ts / ```typescript / ```js / ```javascript run; any other fence (```sh, ```text) does not.
// - A block with no `import` continues the block before it (one module, one scope); a block with imports
//   starts a new module.
// - A one-line statement ending in `// → expected` is checked: `console.log(a, b); // → 0.906 [1, 2]` compares
//   the printed values, `expr; // → [3, 12]` and `const v = expr; // → 12` compare the expression's value.
//   Numbers written with d decimals match to half a unit in the last place (0.906 matches 0.9057); integers
//   match exactly; a trailing `...` states only a prefix; `≈` is decoration.

const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

/**
 * The runnable fenced blocks of a Markdown file.
 * @param {string} markdown
 * @returns {{ lang: string, line: number, code: string }[]} `line`: 1-based line of the block's first code line
 */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let open = null;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) {
      if (fence) open = { marker: fence[2], lang: fence[3].toLowerCase(), line: i + 2, body: [] };
      continue;
    }
    if (fence?.[2].startsWith(open.marker) && lines[i].trim() === fence[2]) {
      if (RUNNABLE.has(open.lang))
        blocks.push({ lang: open.lang, line: open.line, code: open.body.join('\n') });
      open = null;
      continue;
    }
    open.body.push(lines[i]);
  }
  return blocks;
}

/**
 * Runnable blocks grouped into modules: a block without imports joins the module before it.
 * @param {string} markdown
 * @returns {{ line: number, blocks: { lang: string, line: number, code: string }[] }[]}
 */
export function readmeModules(markdown) {
  const modules = [];
  for (const block of extractBlocks(markdown)) {
    const hasImport = /^\s*import\s/m.test(block.code);
    if (hasImport || modules.length === 0) modules.push({ line: block.line, blocks: [block] });
    else modules[modules.length - 1].blocks.push(block);
  }
  return modules;
}

const CHECK = /^(\s*)(.*?)\s*\/\/\s*→\s*(.*?)\s*$/;

/**
 * One check line rewritten to call the runtime (`__readme.log` / `__readme.value`), or the line unchanged.
 * @param {string} line
 * @param {number} lineNo README line number
 */
function rewriteCheck(line, lineNo) {
  const m = CHECK.exec(line);
  if (!m) return line;
  const [, indent, stmtRaw, expected] = m;
  const stmt = stmtRaw.replace(/;\s*$/, '');
  const exp = JSON.stringify(expected);
  const log = /^console\.log\((.*)\)$/.exec(stmt);
  if (log) return `${indent}__readme.log(${lineNo}, ${exp}, ${log[1]});`;
  const decl = /^((?:const|let|var)\s+[^=]+=\s*)(.+)$/.exec(stmt);
  if (decl) return `${indent}${decl[1]}__readme.value(${lineNo}, ${exp}, (${decl[2]}));`;
  return `${indent}__readme.value(${lineNo}, ${exp}, (${stmt}));`;
}

/**
 * The TypeScript module for one README module: the runtime import, then each block's lines at their README
 * line numbers (blank lines in between), so stack traces point into the README.
 * @param {{ blocks: { line: number, code: string }[] }} mod
 * @param {string} runtimePath absolute path of the runtime (`src/readme-runtime.ts`)
 * @param {string} readmePath for messages
 */
export function moduleSource(mod, runtimePath, readmePath) {
  const out = [
    `import { readmeChecks as __readmeChecks } from ${JSON.stringify(runtimePath)}; const __readme = __readmeChecks(${JSON.stringify(readmePath)});`,
  ];
  for (const block of mod.blocks) {
    while (out.length < block.line - 1) out.push('');
    block.code.split('\n').forEach((l, k) => {
      out.push(rewriteCheck(l, block.line + k));
    });
  }
  return `${out.join('\n')}\n`;
}
