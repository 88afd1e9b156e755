import { defineProject } from "vitest/config"

export default defineProject({
  resolve: { conditions: ["@qawave/source"] },
  ssr: { resolve: { conditions: ["@qawave/source"] } },
  test: {
    name: "adapters",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
