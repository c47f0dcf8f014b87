// Type-aware linting: no-floating-promises matters for grammY handlers.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
  { files: ["eslint.config.js", "vitest.config.ts"], ...tseslint.configs.disableTypeChecked },
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
);
