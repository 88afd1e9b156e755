import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { load, loadDoc, op, serve } from "./helpers.js"

const info = { title: "t", version: "1" }
const ok = { "200": { description: "ok" } }

describe("servers", () => {
  const doc = {
    openapi: "3.0.3",
    info,
    servers: [
      {
        url: "https://{region}.example.com/{version}",
        variables: { region: { default: "eu", enum: ["eu", "us"] }, version: { default: "v1" } }
      }
    ],
    paths: {
      "/a": { get: { operationId: "rootLevel", responses: ok } },
      "/b": {
        servers: [{ url: "https://paths.example.com" }],
        get: { operationId: "pathLevel", responses: ok },
        put: { operationId: "operationLevel", servers: [{ url: "/relative" }], responses: ok }
      }
    }
  }

  it.effect("root, path item and operation levels", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      expect(op(spec, "rootLevel").servers).toEqual(["https://eu.example.com/v1"])
      expect(op(spec, "pathLevel").servers).toEqual(["https://paths.example.com"])
      expect(op(spec, "operationLevel").servers).toEqual(["/relative"])
    })
  )

  it.effect("variable overrides checked against enum", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc, { serverVariables: { region: "ap", version: "v2" } })
      expect(spec.servers).toEqual(["https://ap.example.com/v2"])
      expect(
        spec.warnings
          .filter((warning) => warning.code === "server-variable-not-in-enum")
          .map((warning) => warning.pointer)
      ).toEqual(["/servers/0/variables/region"])
    })
  )

  it.effect("unknown variable override warns", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc, { serverVariables: { regoin: "ap", version: "v2" } })
      const unknown = spec.warnings.filter((warning) => warning.code === "unknown-server-variable")
      expect(unknown).toHaveLength(1)
      expect(unknown[0]?.message).toContain('"regoin"')
      expect(unknown[0]?.message).toContain('define "region", "version"')
      // A name that only a path's servers define is known too.
      const pathOnly = yield* loadDoc(
        {
          ...doc,
          paths: {
            "/c": {
              servers: [{ url: "https://{tenant}.example.com", variables: { tenant: { default: "a" } } }],
              get: { operationId: "tenantLevel", responses: ok }
            }
          }
        },
        { serverVariables: { tenant: "b" } }
      )
      expect(pathOnly.warnings.filter((warning) => warning.code === "unknown-server-variable")).toEqual([])
    })
  )

  it.effect("no servers means slash", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({ openapi: "3.1.0", info, paths: { "/a": { get: { responses: ok } } } })
      expect(spec.servers).toEqual(["/"])
      expect(op(spec, "get_a").servers).toEqual(["/"])
    })
  )

  it.scoped("relative servers resolve against the spec URL", () =>
    Effect.gen(function* () {
      const body = JSON.stringify({ ...doc, servers: [{ url: "/api/v3" }] })
      const server = yield* serve({ "/specs/openapi.json": { body } })
      const spec = yield* load(`${server.url}/specs/openapi.json`)
      expect(spec.servers).toEqual([`${server.url}/api/v3`])
      expect(op(spec, "operationLevel").servers).toEqual([`${server.url}/relative`])
    })
  )

  it.effect("swagger without host is relative", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({
        swagger: "2.0",
        info,
        basePath: "/v2",
        paths: { "/a": { get: { responses: ok } } }
      })
      expect(spec.servers).toEqual(["/v2"])
    })
  )
})

describe("security", () => {
  const doc = {
    openapi: "3.0.3",
    info,
    security: [{ key: [] }, { oauth: ["read", "write"], basic: [] }],
    components: {
      securitySchemes: {
        key: { type: "apiKey", in: "header", name: "X-Key" },
        cookie: { type: "apiKey", in: "cookie", name: "sid" },
        basic: { type: "http", scheme: "Basic" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        oauth: {
          type: "oauth2",
          flows: { clientCredentials: { tokenUrl: "https://auth.example.com/token", scopes: { read: "r" } } }
        },
        oidc: {
          type: "openIdConnect",
          openIdConnectUrl: "https://auth.example.com/.well-known/openid-configuration"
        }
      }
    },
    paths: {
      "/default": { get: { operationId: "inherits", responses: ok } },
      "/public": { get: { operationId: "public", security: [], responses: ok } },
      "/own": { get: { operationId: "own", security: [{ bearer: [] }, {}], responses: ok } }
    }
  }

  it.effect("root default, override and empty", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      expect(op(spec, "inherits").security).toEqual([
        [{ scheme: "key", scopes: [] }],
        [
          { scheme: "oauth", scopes: ["read", "write"] },
          { scheme: "basic", scopes: [] }
        ]
      ])
      expect(op(spec, "public").security).toEqual([])
      expect(op(spec, "own").security).toEqual([[{ scheme: "bearer", scopes: [] }], []])
    })
  )

  it.effect("scheme kinds", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc(doc)
      expect(spec.securitySchemes.key).toEqual({
        type: "apiKey",
        name: "key",
        in: "header",
        parameterName: "X-Key"
      })
      expect(spec.securitySchemes.cookie).toEqual({
        type: "apiKey",
        name: "cookie",
        in: "cookie",
        parameterName: "sid"
      })
      expect(spec.securitySchemes.basic).toEqual({ type: "http", name: "basic", scheme: "basic" })
      expect(spec.securitySchemes.bearer).toEqual({
        type: "http",
        name: "bearer",
        scheme: "bearer",
        bearerFormat: "JWT"
      })
      expect(spec.securitySchemes.oauth?.type).toBe("oauth2")
      expect(spec.securitySchemes.oidc).toEqual({
        type: "openIdConnect",
        name: "oidc",
        openIdConnectUrl: "https://auth.example.com/.well-known/openid-configuration"
      })
    })
  )

  it.effect("swagger security definitions", () =>
    Effect.gen(function* () {
      const spec = yield* loadDoc({
        swagger: "2.0",
        info,
        securityDefinitions: {
          basic: { type: "basic" },
          oauth: {
            type: "oauth2",
            flow: "accessCode",
            authorizationUrl: "https://a.example.com/auth",
            tokenUrl: "https://a.example.com/token",
            scopes: { x: "y" }
          }
        },
        security: [{ basic: [] }],
        paths: { "/a": { get: { responses: ok } } }
      })
      expect(spec.securitySchemes.basic).toEqual({ type: "http", name: "basic", scheme: "basic" })
      expect(spec.securitySchemes.oauth).toEqual({
        type: "oauth2",
        name: "oauth",
        flows: {
          authorizationCode: {
            scopes: { x: "y" },
            authorizationUrl: "https://a.example.com/auth",
            tokenUrl: "https://a.example.com/token"
          }
        }
      })
      expect(op(spec, "get_a").security).toEqual([[{ scheme: "basic", scopes: [] }]])
    })
  )
})
