#!/usr/bin/env node
// The `onoffice-simulator` command. A committed launcher rather than a bin pointing into
// dist/: installing the workspace links the bin before anything is built, and
// a bin whose target does not exist yet makes pnpm warn on every install.
const entry = new URL("../dist/bin.js", import.meta.url)
import(entry.href).catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes(entry.pathname)) {
    console.error("onoffice-simulator: not built yet; run `pnpm build` in the repository first")
    process.exit(1)
  }
  throw error
})
