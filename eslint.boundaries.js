// The project's import boundaries as an ESLint rule: features stand alone (others reach a feature only through its
// index.ts), the shared modules under bot/ never reach into features, rules/ imports nothing of ours, and data/ never
// imports bot/. (Imports of test/ are no-restricted-imports' job, in eslint.config.js.)
import path from "node:path";

const ROOT = import.meta.dirname;

function problem(from, to) {
  const rel = (p) => path.relative(ROOT, p).split(path.sep).join("/");
  const src = rel(from);
  const dst = rel(to);
  if (dst.startsWith("..")) return null;
  const top = (p) => p.split("/")[0];
  if (top(src) === "test") return null; // tests may open any module they test
  if (top(src) === "rules" && top(dst) !== "rules") return "rules/ imports nothing of ours";
  if (top(src) === "data" && top(dst) === "bot") return "data/ never imports bot/";
  const feature = (p) => /^bot\/features\/([^/]+)\/(.+)$/.exec(p);
  const target = feature(dst);
  if (!target) return null;
  const isIndex = /^index\.(js|ts)$/.test(target[2]);
  const source = feature(src);
  if (source) return source[1] === target[1] || isIndex ? null : `import the ${target[1]} feature through its index.ts`;
  if (/^bot\/(ui|application|middleware)\//.test(src)) return "shared modules never import a feature";
  return isIndex || src === "bot/features/index.ts" ? null : `import the ${target[1]} feature through its index.ts`;
}

const boundaries = {
  meta: { type: "problem", schema: [], messages: { crossing: "{{why}} ({{spec}})" } },
  create(context) {
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const why = problem(context.filename, path.resolve(path.dirname(context.filename), spec));
      if (why) context.report({ node: node.source, messageId: "crossing", data: { why, spec } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { boundaries } };
