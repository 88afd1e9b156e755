/**
 * Handlers of `/pets`, `/pets/search` and `/pets/{petId}`. Reads are public; writes need the bearer token.
 */
import { setTimeout as sleep } from "node:timers/promises"
import { requireBearer } from "./auth.js"
import {
  type ErrorDetail,
  invalidRequest,
  notFound,
  type Reply,
  type RequestContext,
  readJsonBody,
  validationFailed
} from "./http.js"
import { LIMIT_MAXIMUM, parameterSchemas, petSchema } from "./schemas.js"
import type { Pet, PetStatus } from "./store.js"
import { parsePathId, parseQuery, validateRequestValue } from "./validation.js"

/** Delay of the slow search (planted bug 7), in milliseconds. */
export const SLOW_SEARCH_DELAY_MS = 1500

const listQuery = [
  { name: "limit", schema: parameterSchemas.Limit },
  { name: "offset", schema: parameterSchemas.Offset },
  { name: "status", schema: parameterSchemas.PetStatus },
  { name: "kind", schema: parameterSchemas.PetKind },
  { name: "tags", schema: parameterSchemas.Tags }
]

const searchQuery = [
  { name: "q", schema: parameterSchemas.SearchText, required: true },
  { name: "kind", schema: parameterSchemas.PetKind }
]

/** GET /pets: one page of pets, filtered, with the number of matches in `X-Total-Count`. */
export const listPets = (context: RequestContext): Reply => {
  const query = parseQuery(context.url, listQuery)
  if (!query.ok) return invalidRequest(query.details)
  const { limit, offset, status, kind, tags } = query.values as {
    limit: number
    offset: number
    status?: PetStatus
    kind?: Pet["kind"]
    tags?: ReadonlyArray<string>
  }

  if (context.bugs && limit === LIMIT_MAXIMUM) {
    // Planted bug 1: the page buffer has room for 99 pets, so the declared maximum crashes the handler.
    throw new RangeError(`page size ${limit} exceeds the page buffer of ${LIMIT_MAXIMUM - 1} pets`)
  }

  const matches = [...context.store.pets.values()].filter(
    (pet) =>
      (status === undefined || pet.status === status) &&
      (kind === undefined || pet.kind === kind) &&
      (tags === undefined || tags.some((tag) => pet.tags.includes(tag)))
  )
  return {
    status: 200,
    body: matches.slice(offset, offset + limit),
    headers: { "X-Total-Count": String(matches.length) }
  }
}

/** GET /pets/search: pets whose name contains `q`, ignoring case. */
export const searchPets = async (context: RequestContext): Promise<Reply> => {
  const query = parseQuery(context.url, searchQuery)
  if (!query.ok) return invalidRequest(query.details)
  const { q, kind } = query.values as { q: string; kind?: Pet["kind"] }

  if (context.bugs) {
    // Planted bug 7: the search scans an unindexed table, which costs 1.5 s on every request.
    await sleep(SLOW_SEARCH_DELAY_MS)
  }

  const text = q.toLowerCase()
  const matches = [...context.store.pets.values()].filter(
    (pet) => pet.name.toLowerCase().includes(text) && (kind === undefined || pet.kind === kind)
  )
  return { status: 200, body: matches }
}

/** POST /pets: adds a cat or a dog and returns 201 with the pet and its `Location`. */
export const createPet = (context: RequestContext): Reply => {
  const denied = requireBearer(context)
  if (denied !== undefined) return denied
  const fields = readPetFields(context)
  if (!fields.ok) return fields.reply

  const pet = context.store.addPet(fields.value)
  const headers = { Location: `/pets/${pet.id}` }
  if (context.bugs) {
    // Planted bug 3: the create response formats the price as a string ("120.00").
    return { status: 201, body: { ...pet, price: pet.price.toFixed(2) }, headers }
  }
  return { status: 201, body: pet, headers }
}

/** GET /pets/{petId}. */
export const getPet = (context: RequestContext): Reply => {
  const petId = parsePetId(context)
  if (!petId.ok) return petId.reply

  const pet = context.store.pets.get(petId.id)
  if (pet !== undefined) return { status: 200, body: pet }
  const deleted = context.store.deletedPets.get(petId.id)
  if (context.bugs && deleted !== undefined) {
    // Planted bug 6: the read path looks in the archive of deleted pets too.
    return { status: 200, body: deleted }
  }
  return notFound("pet", String(petId.id))
}

/** PUT /pets/{petId}: replaces every writable field of a pet. */
export const updatePet = (context: RequestContext): Reply => {
  // Planted bug 5: with bugs on, the handler never checks the bearer token.
  if (!context.bugs) {
    const denied = requireBearer(context)
    if (denied !== undefined) return denied
  }
  const petId = parsePetId(context)
  if (!petId.ok) return petId.reply
  const existing = context.store.pets.get(petId.id)
  if (existing === undefined) return notFound("pet", String(petId.id))
  const fields = readPetFields(context)
  if (!fields.ok) return fields.reply

  return { status: 200, body: context.store.replacePet(existing, fields.value) }
}

/** DELETE /pets/{petId}: returns 204 without a body. */
export const deletePet = (context: RequestContext): Reply => {
  const denied = requireBearer(context)
  if (denied !== undefined) return denied
  const petId = parsePetId(context)
  if (!petId.ok) return petId.reply
  const pet = context.store.pets.get(petId.id)
  if (pet === undefined) return notFound("pet", String(petId.id))

  context.store.deletePet(pet)
  return { status: 204 }
}

const parsePetId = (
  context: RequestContext
): { readonly ok: true; readonly id: number } | { readonly ok: false; readonly reply: Reply } => {
  const parsed = parsePathId("petId", context.params.petId ?? "", parameterSchemas.PetId)
  return parsed.ok ? parsed : { ok: false, reply: invalidRequest(parsed.details) }
}

type PetFields = Omit<Pet, "id" | "createdAt">

/** Reads and validates a pet body, filling the defaults of the optional fields. */
const readPetFields = (
  context: RequestContext
): { readonly ok: true; readonly value: PetFields } | { readonly ok: false; readonly reply: Reply } => {
  const body = readJsonBody(context)
  if (!body.ok) return body
  const details: ReadonlyArray<ErrorDetail> = validateRequestValue(petSchema, body.value, "body")
  if (details.length > 0) return { ok: false, reply: validationFailed(details) }

  // The schema check above guarantees these types.
  const input = body.value as Omit<PetFields, "status" | "tags" | "notes"> & {
    readonly status?: PetStatus
    readonly tags?: ReadonlyArray<string>
    readonly notes?: string | null
  }
  return {
    ok: true,
    value: {
      ...input,
      status: input.status ?? "available",
      tags: input.tags ?? [],
      notes: input.notes ?? null
    }
  }
}
