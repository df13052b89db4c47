import { randomBytes } from "node:crypto";

const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

/** A short, unguessable, URL-safe id with a readable prefix (e.g. "ev_k3m9x2p7qa4t"). */
export function newId(prefix: "ev" | "ph"): string {
  const bytes = randomBytes(12);
  let id = "";
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return `${prefix}_${id}`;
}

export const eventIdFormat = /^ev_[a-z0-9]{12}$/;
export const photoIdFormat = /^ph_[a-z0-9]{12}$/;
