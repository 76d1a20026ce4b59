// One style for the whole workspace: typescript-eslint's recommended rules,
// plus the few that keep Effect code honest (no `any`, type-only imports).
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.d.ts", "packages/integration/.docs-check/**"] },
  js.configs.recommended,
  {
    // Plain Node scripts: CI helpers and the fixtures loader.
    files: ["**/*.mjs", "packages/fixtures/*.js"],
    languageOptions: {
      globals: {
        URL: "readonly",
        console: "readonly",
        process: "readonly",
        fetch: "readonly",
        AbortSignal: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        Buffer: "readonly"
      }
    }
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-namespace": "off",
      "require-yield": "off",
      "no-restricted-syntax": [
        "error",
        { selector: "ThrowStatement", message: "Fail with a typed error instead of throwing." }
      ]
    }
  },
  {
    // The hand-written reference and the bench scripts are plain async code
    // (what a developer writes without Effect): a failed measurement throws.
    files: ["packages/bench/src/**/*.ts"],
    rules: { "no-restricted-syntax": "off" }
  },
  {
    // Black-box tests read raw JSON replies; typing every reply adds nothing.
    files: ["packages/*/test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" }
  },
  {
    files: ["packages/client/src/**/*.ts", "packages/marketplace/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*"], message: "The client and the marketplace kit are runtime-agnostic: no node: imports." }] }]
    }
  }
)
