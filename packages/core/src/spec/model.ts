/**
 * The normalized spec model: what every generator, the executor and the checks read. It is the same
 * for Swagger 2.0, OpenAPI 3.0 and 3.1; schemas are converted to one dialect (JSON Schema 2020-12).
 */

/** HTTP methods an OpenAPI path item can declare, lowercase as in the document. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"

export const httpMethods: ReadonlyArray<HttpMethod> = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace"
]

/**
 * A JSON Schema 2020-12 schema. A reference to a component is `{ "$ref": "#/$defs/<key>" }`, where
 * `<key>` is looked up in the spec's `definitions`; a recursive schema therefore stays recursive.
 * `standaloneSchema` turns such a schema into one that carries its own `$defs`.
 */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown }

/** Converted component schemas, by the key their `$ref`s use; converted on first use and memoized. */
export interface SchemaDefinitions {
  get(key: string): JsonSchema | undefined
}

/** A problem or warning found while loading or normalizing a document. */
export interface SpecProblem {
  /** Stable machine-readable code, such as `dangling-ref` or `undeclared-path-parameter`. */
  readonly code: string
  readonly severity: "error" | "warning"
  readonly message: string
  /** JSON pointer into the document where the problem sits. */
  readonly pointer: string
  /** The operation the problem makes unusable or suspicious, when there is one. */
  readonly operationId?: string
}

export type ParameterLocation = "path" | "query" | "header" | "cookie"

export type ParameterStyle =
  | "matrix"
  | "label"
  | "form"
  | "simple"
  | "spaceDelimited"
  | "pipeDelimited"
  | "deepObject"

/** One parameter, with the serialization defaults of its location already applied. */
export interface Parameter {
  readonly name: string
  readonly in: ParameterLocation
  readonly required: boolean
  readonly deprecated: boolean
  readonly style: ParameterStyle
  readonly explode: boolean
  readonly allowReserved: boolean
  readonly allowEmptyValue: boolean
  /** Request view of the parameter's schema (`true` when the spec gives none). */
  readonly schema: JsonSchema
  /** Media type when the parameter uses `content` instead of `schema`. */
  readonly mediaType?: string
  /** Examples from the spec, first the parameter's own, then its schema's. */
  readonly examples: ReadonlyArray<unknown>
  readonly description?: string
}

/** Serialization of one multipart or form-urlencoded property. */
export interface Encoding {
  readonly contentType?: string
  readonly style?: ParameterStyle
  readonly explode?: boolean
  readonly allowReserved?: boolean
}

/** One media type of a request body or response. */
export interface MediaType {
  /** Lowercase media type without parameters, such as `application/json`. */
  readonly mediaType: string
  /** Request or response view of the schema; absent when the spec gives none. */
  readonly schema?: JsonSchema
  readonly examples: ReadonlyArray<unknown>
  readonly encoding: Readonly<Record<string, Encoding>>
}

export interface RequestBody {
  readonly required: boolean
  readonly description?: string
  readonly content: ReadonlyArray<MediaType>
}

export interface ResponseHeader {
  readonly name: string
  readonly required: boolean
  readonly schema: JsonSchema
}

/** A link from one response to another operation, as OpenAPI 3 `links` declare. */
export interface Link {
  readonly name: string
  /** Id of the target operation in this normalized model. */
  readonly operationId: string
  /** Runtime expressions (`$response.body#/id`) or constants, by parameter name. */
  readonly parameters: Readonly<Record<string, unknown>>
  readonly requestBody?: unknown
}

/** One declared response: an exact code (`200`), a range (`4XX`) or `default`. */
export interface Response {
  readonly status: string
  readonly description: string
  readonly content: ReadonlyArray<MediaType>
  readonly headers: ReadonlyArray<ResponseHeader>
  readonly links: ReadonlyArray<Link>
}

export type SecurityScheme =
  | {
      readonly type: "apiKey"
      readonly name: string
      readonly in: "header" | "query" | "cookie"
      readonly parameterName: string
    }
  | {
      readonly type: "http"
      readonly name: string
      /** Lowercase scheme such as `basic` or `bearer`. */
      readonly scheme: string
      readonly bearerFormat?: string
    }
  | { readonly type: "oauth2"; readonly name: string; readonly flows: Readonly<Record<string, unknown>> }
  | { readonly type: "openIdConnect"; readonly name: string; readonly openIdConnectUrl: string }
  | { readonly type: "mutualTLS"; readonly name: string }

/** Schemes that must all be satisfied together (one entry of an OpenAPI `security` array). */
export type SecurityRequirement = ReadonlyArray<{
  readonly scheme: string
  readonly scopes: ReadonlyArray<string>
}>

/** One method + path of the spec, normalized. */
export interface Operation {
  /** operationId, or a generated one; unique within the spec. */
  readonly id: string
  readonly method: HttpMethod
  /** Path template as written in the spec, such as `/pets/{petId}`. */
  readonly path: string
  readonly summary?: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  readonly deprecated: boolean
  /** Effective server URLs with variables filled in; `/` (relative to the spec's location) when none. */
  readonly servers: ReadonlyArray<string>
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody?: RequestBody
  readonly responses: ReadonlyArray<Response>
  /**
   * Alternatives of which one must be met (OR of AND sets). An empty array means the operation needs
   * no credentials, including when it says `security: []`.
   */
  readonly security: ReadonlyArray<SecurityRequirement>
  /** Stable hash of the operation's resolved content; changes when anything it depends on changes. */
  readonly fingerprint: string
  /** Problems that concern this operation; an operation with an error problem is not usable. */
  readonly problems: ReadonlyArray<SpecProblem>
  /** JSON pointer of the operation in the document, such as `/paths/~1pets/get`. */
  readonly pointer: string
}

export type SpecVersion = "2.0" | "3.0" | "3.1"

/** A loaded and normalized API description. */
export interface ApiSpec {
  readonly title: string
  readonly version: string
  readonly specVersion: SpecVersion
  /** Where the document came from: a file path, a URL, or `memory`. */
  readonly source: string
  /** SHA-256 of the document's bytes (or of its canonical JSON for in-memory objects). */
  readonly contentHash: string
  readonly servers: ReadonlyArray<string>
  readonly securitySchemes: Readonly<Record<string, SecurityScheme>>
  /** Targets of the `#/$defs/<key>` references inside every schema of this spec. */
  readonly definitions: SchemaDefinitions
  readonly operations: ReadonlyArray<Operation>
  /** Problems with the document as a whole, not tied to one operation. */
  readonly problems: ReadonlyArray<SpecProblem>
  readonly warnings: ReadonlyArray<SpecProblem>
}

/** Whether an operation can be tested: it has no error-level problem. */
export const isUsable = (operation: Operation): boolean =>
  operation.problems.every((problem) => problem.severity !== "error")
