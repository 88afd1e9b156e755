import { defineProject } from "vitest/config"

export default defineProject({ test: { name: "sample-api", include: ["test/**/*.test.ts"] } })
