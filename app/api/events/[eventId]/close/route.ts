import { closingRoute } from "@/lib/server/closing-route";

/** Closes the event to new contributors (the creator, or whoever opened its admin link). */
export const POST = closingRoute(true);
