import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const serverOnly = ["@admit/db", "@admit/db/*", "@admit/domain", "@admit/auth", "@prisma/*", "pg", "@electric-sql/pglite"];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/src/generated/**", "**/.turbo/**", "**/test-results/**", "**/dev-dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name=/^(only|skip)$/][callee.object.name=/^(it|describe|test)$/]", message: "No focused or skipped tests." },
      ],
    },
  },
  {
    // Dependencies point one way: apps -> api -> domain -> db. Packages never import apps or upward.
    files: ["packages/db/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@admit/domain", "@admit/api", "@admit/auth", "@admit/server"] }] },
  },
  {
    files: ["packages/domain/**/*.ts", "packages/auth/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@admit/api", "@admit/server", "@trpc/*", "fastify"] }] },
  },
  {
    files: ["packages/validators/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@admit/*", "@prisma/*"] }] },
  },
  {
    // The web apps see types and shared schemas only, never the database or server code.
    files: ["apps/storefront/**/*.{ts,tsx}", "apps/kiosk/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: serverOnly, message: "Web apps import only @admit/validators and types from @admit/api/types." },
            { regex: "^@admit/api$", message: "Import types from @admit/api/types instead." },
          ],
        },
      ],
    },
  },
);
