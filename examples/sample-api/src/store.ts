/**
 * In-memory data of one server instance, seeded with a few pets and orders.
 */

export type PetStatus = "available" | "pending" | "sold"
export type OrderStatus = "placed" | "approved" | "delivered"

/** A pet as the API returns it, where `kind` distinguishes cats from dogs. */
export interface Pet {
  readonly id: number
  readonly kind: "cat" | "dog"
  readonly name: string
  readonly price: number
  readonly status: PetStatus
  readonly tags: ReadonlyArray<string>
  readonly notes: string | null
  readonly createdAt: string
  /** Cats only. */
  readonly indoor?: boolean
  /** Dogs only. */
  readonly breed?: string
  /** Dogs only. */
  readonly goodWithChildren?: boolean
}

export interface Address {
  readonly name: string
  readonly street: string
  readonly city: string
  readonly postalCode: string
  readonly country: string
}

/** An order as the API returns it; the payment token is never stored. */
export interface Order {
  readonly id: number
  readonly petId: number
  readonly quantity: number
  readonly shipTo: Address
  readonly note: string | null
  readonly status: OrderStatus
  /** Pet price times quantity, rounded to cents. */
  readonly total: number
  readonly createdAt: string
}

/** Pets and orders of one server instance, with ids that count up from 1. */
export class Store {
  readonly pets = new Map<number, Pet>()
  /** Deleted pets, kept for auditing; only planted bug 6 still serves them. */
  readonly deletedPets = new Map<number, Pet>()
  readonly orders = new Map<number, Order>()
  private lastPetId = 0
  private lastOrderId = 0

  constructor(private readonly now: () => Date) {
    this.seed()
  }

  /** Adds a pet with the next id and the current time. */
  addPet(fields: Omit<Pet, "id" | "createdAt">): Pet {
    this.lastPetId += 1
    const pet: Pet = { id: this.lastPetId, ...fields, createdAt: this.now().toISOString() }
    this.pets.set(pet.id, pet)
    return pet
  }

  /** Replaces the fields of an existing pet, keeping its id and creation time. */
  replacePet(existing: Pet, fields: Omit<Pet, "id" | "createdAt">): Pet {
    const pet: Pet = { id: existing.id, ...fields, createdAt: existing.createdAt }
    this.pets.set(pet.id, pet)
    return pet
  }

  /** Moves a pet to the deleted pets. */
  deletePet(pet: Pet): void {
    this.pets.delete(pet.id)
    this.deletedPets.set(pet.id, pet)
  }

  /** Adds an order with the next id, status `placed` and the current time. */
  addOrder(fields: Omit<Order, "id" | "createdAt" | "status">): Order {
    this.lastOrderId += 1
    const order: Order = {
      id: this.lastOrderId,
      ...fields,
      status: "placed",
      createdAt: this.now().toISOString()
    }
    this.orders.set(order.id, order)
    return order
  }

  private seed(): void {
    const common = { notes: null, status: "available" } as const
    this.addPet({ ...common, kind: "cat", name: "Tom", price: 120, tags: ["calm"], indoor: true })
    this.addPet({
      ...common,
      kind: "dog",
      name: "Rex",
      price: 250.5,
      tags: ["playful", "large"],
      breed: "Boxer"
    })
    this.addPet({ ...common, kind: "cat", name: "Misty", price: 80, tags: [], status: "pending" })
    this.addPet({
      ...common,
      kind: "dog",
      name: "Bella",
      price: 300,
      tags: ["small"],
      goodWithChildren: true
    })
    this.addPet({ ...common, kind: "cat", name: "Felix", price: 95.25, tags: ["playful"], status: "sold" })
    const shipTo = {
      name: "Ada Park",
      street: "1 Main Street",
      city: "Springfield",
      postalCode: "12345",
      country: "US"
    }
    this.addOrder({ petId: 1, quantity: 1, shipTo, note: null, total: 120 })
    const second = this.addOrder({ petId: 2, quantity: 2, shipTo, note: "Ring twice", total: 501 })
    this.orders.set(second.id, { ...second, status: "approved" })
  }
}
