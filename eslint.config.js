// Type-aware linting: no-floating-promises matters for grammY handlers.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import emhana from "./eslint.boundaries.js";

// Nothing outside test/ imports test/: the bot, its data, its tooling and the benchmarks run without the test tree.
// A relative path that climbs to the repository's test/ folder ("../test/…", "../../test/…").
const NO_TEST_IMPORTS = {
  regex: "^(\\.\\./)+test(/|$)",
  message: "Only tests import test/: move what is shared to scripts/ (the emulator and the stack live there).",
};

export default tseslint.config(
  { ignores: ["node_modules/", "var/", "coverage/", "test/sandbox-static/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["**/*.ts"], plugins: { emhana }, rules: { "emhana/boundaries": "error" } },
  { files: ["eslint.config.js", "eslint.boundaries.js", "vitest.config.ts"], ...tseslint.configs.disableTypeChecked },
  // The sandbox page's plain browser modules: not in the TypeScript project, browser globals only.
  { files: ["scripts/sandbox/static/**/*.js"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["scripts/sandbox/static/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        [
          "window",
          "document",
          "history",
          "navigator",
          "fetch",
          "EventSource",
          "URL",
          "URLSearchParams",
          "setTimeout",
          "clearTimeout",
        ].map((g) => [g, "readonly"]),
      ),
    },
  },
  // Flat config does not merge a rule's options: a later block setting no-restricted-imports for these files
  // replaces this one, so it must list NO_TEST_IMPORTS among its patterns too (test/unit/tooling/boundaries.test.ts).
  {
    files: ["{bot,rules,data,scripts,bench}/**/*.{ts,js}"],
    rules: { "no-restricted-imports": ["error", { patterns: [NO_TEST_IMPORTS] }] },
  },
);
